using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NfmGen.Models;

/// <summary>
/// The MLP baseline of Gorishniy et al. (2021, "Revisiting Deep Learning Models for Tabular Data"; rtdl's
/// <c>MLP.make_baseline</c>): three blocks Linear-ReLU-Dropout of one width, then a linear head. Mixable at the input
/// and after each block.
/// </summary>
[NfmNetwork]
public sealed partial class TabularMlp : Module<Tensor, Tensor>
{
    /// <summary>The dropout rate of every block unless told otherwise.</summary>
    public const double DefaultDropout = 0.1;

    [Mixable] private readonly Sequential block1;
    [Mixable] private readonly Sequential block2;
    [Mixable] private readonly Sequential block3;
    [Layer] private readonly Linear head;

    /// <summary>Builds the network.</summary>
    /// <param name="inputs">Inputs per row (a table's encoded width).</param>
    /// <param name="width">Units of each block.</param>
    /// <param name="numClasses">Number of output classes.</param>
    /// <param name="dropout">Dropout rate of each block, in [0, 1).</param>
    public TabularMlp(int inputs, int width = 256, int numClasses = 2, double dropout = DefaultDropout) : base(nameof(TabularMlp))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(numClasses, 1);
        if (!(dropout >= 0 && dropout < 1))
            throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "dropout must be in [0, 1)");
        block1 = Block(inputs, width, dropout);
        block2 = Block(width, width, dropout);
        block3 = Block(width, width, dropout);
        head = Linear(width, numClasses);
        RegisterComponents();
    }

    private static Sequential Block(int inputs, int width, double dropout) => Sequential(Linear(inputs, width), ReLU(), Dropout(dropout));
}
