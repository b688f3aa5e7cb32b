using NfmGen.Network;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NfmGen.Models;

/// <summary>
/// Wide-ResNet-depth-k (Zagoruyko and Komodakis, 2016) as the NFM reference code (erichson/NFM,
/// <c>src/cifar_models/wide_resnet.py</c>) defines it (biased convolutions, a final <c>bn1</c>), so that its state
/// dicts load across; Wide-ResNet-28-10 has 36,489,290 parameters at 10 classes.
/// Mix points are the reference code's: the input and the outputs of the first two of its three stages.
/// </summary>
[NfmNetwork]
public sealed partial class WideResNet : Module<Tensor, Tensor>
{
    [Layer] private readonly Conv2d conv1;
    [Mixable] private readonly Sequential layer1;
    [Mixable] private readonly Sequential layer2;
    [Layer] private readonly Sequential layer3;
    [Layer] private readonly HeldBatchNorm2d bn1;
    // The reference code's relu and avg_pool2d(x, 8) on 32x32 inputs; adaptive, so that other image sizes work too.
    // Modules, not a method, so that ONNX export sees what they compute.
    [Layer] private readonly ReLU relu;
    [Layer] private readonly Sequential pool;
    [Layer] private readonly Linear linear;

    /// <summary>Builds the network.</summary>
    /// <param name="numClasses">Number of output classes.</param>
    /// <param name="inChannels">Channels of the input images.</param>
    /// <param name="widenFactor">The widen factor k: the stages have 16k, 32k and 64k channels (10 in the paper).</param>
    /// <param name="depth">Layers: 6n + 4 for n blocks per stage (28 in the paper).</param>
    /// <param name="dropout">Dropout probability inside each block (0.3 in the paper).</param>
    public WideResNet(int numClasses = 10, int inChannels = 3, int widenFactor = 10, int depth = 28, double dropout = 0.3) : base(nameof(WideResNet))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numClasses, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(inChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(widenFactor, 1);
        if (depth < 10 || (depth - 4) % 6 != 0)
            throw new ArgumentOutOfRangeException(nameof(depth), depth, "depth must be 6n + 4 for n >= 1 blocks per stage, such as 10, 16, 22 or 28.");
        if (!(dropout >= 0 && dropout < 1))
            throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "dropout must be in [0, 1).");

        var blocks = (depth - 4) / 6;
        conv1 = Conv2d(inChannels, 16, kernel_size: 3, padding: 1, bias: true);
        layer1 = Stage(16, 16 * widenFactor, blocks, dropout, stride: 1);
        layer2 = Stage(16 * widenFactor, 32 * widenFactor, blocks, dropout, stride: 2);
        layer3 = Stage(32 * widenFactor, 64 * widenFactor, blocks, dropout, stride: 2);
        // momentum 0.9 is the reference code's (PyTorch weighs the new batch by it): kept so that training matches.
        bn1 = new HeldBatchNorm2d(64 * widenFactor, momentum: 0.9);
        relu = ReLU();
        pool = Sequential(AdaptiveAvgPool2d(1), Flatten());
        linear = Linear(64 * widenFactor, numClasses);
        RegisterComponents();
    }

    private static Sequential Stage(long inPlanes, long planes, int blocks, double dropout, long stride) =>
        Sequential(Enumerable.Range(0, blocks)
            .Select(index => (Module<Tensor, Tensor>)(index == 0
                ? new WideBasicBlock(inPlanes, planes, dropout, stride)
                : new WideBasicBlock(planes, planes, dropout, 1))));
}
