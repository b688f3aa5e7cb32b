using NfmGen.Network;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NfmGen.Models;

/// <summary>
/// A small convolutional network for 28x28 images (Fashion-MNIST, MNIST): two conv-BN-ReLU-pool blocks, each followed
/// by a mix point, and a two-layer classifier. Trains to about 90% on Fashion-MNIST in an epoch on a CPU.
/// </summary>
[NfmNetwork]
public sealed partial class SmallConvNet : Module<Tensor, Tensor>
{
    [Mixable] private readonly Sequential block1;
    [Mixable] private readonly Sequential block2;
    [Layer] private readonly Flatten flatten;
    [Layer] private readonly Sequential hidden;
    [Layer] private readonly Linear classifier;

    /// <summary>Builds the network.</summary>
    /// <param name="numClasses">Number of output classes.</param>
    /// <param name="inChannels">Channels of the input images.</param>
    /// <param name="width">Channels of the first block; the second has twice as many.</param>
    /// <param name="imageSize">Side of the square input images (a multiple of 4).</param>
    public SmallConvNet(int numClasses = 10, int inChannels = 1, int width = 32, int imageSize = 28) : base(nameof(SmallConvNet))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numClasses, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(inChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        if (imageSize < 4 || imageSize % 4 != 0)
            throw new ArgumentOutOfRangeException(nameof(imageSize), imageSize, "imageSize must be a positive multiple of 4 (two 2x2 poolings).");

        block1 = Block(inChannels, width);
        block2 = Block(width, 2 * width);
        flatten = Flatten();
        var pooledSide = imageSize / 4;
        hidden = Sequential(Linear(2 * width * pooledSide * pooledSide, 128), ReLU());
        classifier = Linear(128, numClasses);
        RegisterComponents();
    }

    private static Sequential Block(long inChannels, long outChannels) =>
        Sequential(Conv2d(inChannels, outChannels, kernel_size: 3, padding: 1, bias: false), new HeldBatchNorm2d(outChannels), ReLU(), MaxPool2d(2));
}
