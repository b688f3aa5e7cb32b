using NfmGen.Interop;
using NfmGen.Network;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NfmGen.Models;

/// <summary>
/// The block of rtdl's tabular <c>ResNet</c> (Gorishniy et al., 2021): <c>x + Dropout(Linear(Dropout(ReLU(Linear(BatchNorm(x))))))</c>,
/// with rtdl's member names.
/// </summary>
public sealed class TabularResBlock : Module<Tensor, Tensor>, IOnnxLayer
{
    private readonly HeldBatchNorm1d normalization;
    private readonly Linear linear_first;
    private readonly Dropout dropout_first;
    private readonly Linear linear_second;
    private readonly Dropout dropout_second;

    /// <summary>A block of width <paramref name="width"/> with <paramref name="hidden"/> units inside.</summary>
    /// <param name="width">Its input and output width (rtdl's <c>d_main</c>).</param>
    /// <param name="hidden">The width of its first linear layer (rtdl's <c>d_hidden</c>).</param>
    /// <param name="hiddenDropout">Dropout after the activation (rtdl's <c>dropout_first</c>).</param>
    /// <param name="residualDropout">Dropout of the branch before the sum (rtdl's <c>dropout_second</c>).</param>
    public TabularResBlock(long width, long hidden, double hiddenDropout, double residualDropout) : base(nameof(TabularResBlock))
    {
        normalization = new HeldBatchNorm1d(width);
        linear_first = Linear(width, hidden);
        dropout_first = Dropout(hiddenDropout);
        linear_second = Linear(hidden, width);
        dropout_second = Dropout(residualDropout);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        var branch = linear_first.call(normalization.call(x));
        branch = linear_second.call(dropout_first.call(functional.relu(branch)));
        using var scalars = new ScalarScope();
        return dropout_second.call(branch).add_(x, scalars.Of(1));
    }

    /// <inheritdoc />
    public string AddTo(OnnxGraph graph, string input)
    {
        var branch = graph.Layer(linear_first, graph.Layer(normalization, input));
        branch = graph.Layer(linear_second, graph.Node("Relu", [branch]));
        return graph.Node("Add", [branch, input]);
    }
}
