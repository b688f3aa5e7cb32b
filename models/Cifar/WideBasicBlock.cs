using NfmGen.Interop;
using NfmGen.Network;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NfmGen.Models;

/// <summary>
/// The basic block of a Wide-ResNet (Zagoruyko and Komodakis, 2016) as the NFM reference code defines it:
/// BN-ReLU-conv, dropout, BN-ReLU-conv (strided), plus the block's input, through a 1x1 projection when the shape
/// changes. Its convolutions have biases, as in that code; names follow it so that state dicts load across.
/// </summary>
public sealed class WideBasicBlock : Module<Tensor, Tensor>, IOnnxLayer
{
    private readonly HeldBatchNorm2d bn1;
    private readonly Conv2d conv1;
    private readonly Dropout dropout;
    private readonly HeldBatchNorm2d bn2;
    private readonly Conv2d conv2;
    private readonly Sequential? shortcut;

    /// <summary>A block from <paramref name="inPlanes"/> to <paramref name="planes"/> channels.</summary>
    /// <param name="inPlanes">Channels of the input.</param>
    /// <param name="planes">Channels of the output.</param>
    /// <param name="dropout">Dropout probability between the two convolutions.</param>
    /// <param name="stride">Stride of the second convolution and of the shortcut.</param>
    public WideBasicBlock(long inPlanes, long planes, double dropout, long stride = 1) : base(nameof(WideBasicBlock))
    {
        bn1 = new HeldBatchNorm2d(inPlanes);
        conv1 = Conv2d(inPlanes, planes, kernel_size: 3, padding: 1, bias: true);
        this.dropout = Dropout(dropout);
        bn2 = new HeldBatchNorm2d(planes);
        conv2 = Conv2d(planes, planes, kernel_size: 3, stride: stride, padding: 1, bias: true);
        if (stride != 1 || inPlanes != planes)
            shortcut = Sequential(Conv2d(inPlanes, planes, kernel_size: 1, stride: stride, bias: true));
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        var output = dropout.call(conv1.call(functional.relu(bn1.call(x))));
        output = conv2.call(functional.relu(bn2.call(output)));
        // Unlike PreActBlock, the shortcut takes the raw input, not the activated one.
        using var scalars = new ScalarScope();
        return output.add_(shortcut is null ? x : shortcut.call(x), scalars.Of(1));
    }

    /// <inheritdoc />
    public string AddTo(OnnxGraph graph, string input)
    {
        var output = graph.Layer(dropout, graph.Layer(conv1, graph.Node("Relu", [graph.Layer(bn1, input)])));
        output = graph.Layer(conv2, graph.Node("Relu", [graph.Layer(bn2, output)]));
        return graph.Node("Add", [output, shortcut is null ? input : graph.Layer(shortcut, input)]);
    }
}
