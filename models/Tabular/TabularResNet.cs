using NfmGen.Network;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NfmGen.Models;

/// <summary>
/// The ResNet baseline of Gorishniy et al. (2021, "Revisiting Deep Learning Models for Tabular Data"; rtdl's
/// <c>ResNet.make_baseline</c>): a linear layer to the width, three residual blocks (<see cref="TabularResBlock"/>,
/// hidden width twice the width), then BatchNorm-ReLU-Linear. Mixable at the input and after each block.
/// </summary>
[NfmNetwork]
public sealed partial class TabularResNet : Module<Tensor, Tensor>
{
    /// <summary>Dropout after each block's activation unless told otherwise (rtdl's <c>dropout_first</c>).</summary>
    public const double DefaultHiddenDropout = 0.2;

    [Layer] private readonly Linear first_layer;
    [Mixable] private readonly TabularResBlock block1;
    [Mixable] private readonly TabularResBlock block2;
    [Mixable] private readonly TabularResBlock block3;
    [Layer] private readonly Sequential head;

    /// <summary>Builds the network.</summary>
    /// <param name="inputs">Inputs per row (a table's encoded width).</param>
    /// <param name="width">The blocks' width (rtdl's <c>d_main</c>); each block's hidden layer is twice as wide.</param>
    /// <param name="numClasses">Number of output classes.</param>
    /// <param name="hiddenDropout">Dropout after each block's activation, in [0, 1).</param>
    /// <param name="residualDropout">Dropout of each block's branch, in [0, 1).</param>
    public TabularResNet(int inputs, int width = 128, int numClasses = 2, double hiddenDropout = DefaultHiddenDropout, double residualDropout = 0)
        : base(nameof(TabularResNet))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(numClasses, 1);
        if (!(hiddenDropout >= 0 && hiddenDropout < 1) || !(residualDropout >= 0 && residualDropout < 1))
            throw new ArgumentOutOfRangeException(nameof(hiddenDropout), (hiddenDropout, residualDropout), "dropout rates must be in [0, 1)");
        first_layer = Linear(inputs, width);
        block1 = new TabularResBlock(width, 2 * width, hiddenDropout, residualDropout);
        block2 = new TabularResBlock(width, 2 * width, hiddenDropout, residualDropout);
        block3 = new TabularResBlock(width, 2 * width, hiddenDropout, residualDropout);
        head = Sequential(new HeldBatchNorm1d(width), ReLU(), Linear(width, numClasses));
        RegisterComponents();
    }
}
