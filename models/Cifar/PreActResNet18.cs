using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NfmGen.Models;

/// <summary>
/// Pre-activation ResNet-18 (He et al., 2016) as the NFM reference code (erichson/NFM, <c>src/cifar_models/preresnet.py</c>)
/// defines it: the paper's CIFAR-10 network (and, at width 128, its CIFAR-100 PreActWideResNet-18), with that code's
/// mix points: the input and the outputs of the first three residual stages. It computes that code's function (its
/// blocks' identity shortcuts add the activated input, see <see cref="PreActIdentity"/>), with its layers and
/// state-dict names, so weights load across and give the same outputs; like it, the network pools the last stage's
/// output directly, with no batch norm after it (11,171,146 parameters at 10 classes).
/// </summary>
[NfmNetwork]
public sealed partial class PreActResNet18 : Module<Tensor, Tensor>
{
    [Layer] private readonly Conv2d conv1;
    [Mixable] private readonly Sequential layer1;
    [Mixable] private readonly Sequential layer2;
    [Mixable] private readonly Sequential layer3;
    [Layer] private readonly Sequential layer4;
    // The reference code's avg_pool2d(x, 4) on 32x32 inputs; adaptive, so that other image sizes work too. A module, not
    // a method, so that ONNX export sees what it computes.
    [Layer] private readonly Sequential pool;
    [Layer] private readonly Linear linear;

    /// <summary>Builds the network.</summary>
    /// <param name="numClasses">Number of output classes.</param>
    /// <param name="inChannels">Channels of the input images (3 for CIFAR, 1 for Fashion-MNIST).</param>
    /// <param name="width">Channels of the first stage (64 in the paper, 128 for PreActWideResNet-18); the stages have width, 2x, 4x and 8x.</param>
    /// <param name="identity">What the blocks' identity shortcuts add: the reference code's activated input by default,
    /// <see cref="PreActIdentity.Raw"/> for He et al.'s variant (same state dict, another function).</param>
    public PreActResNet18(int numClasses = 10, int inChannels = 3, int width = 64, PreActIdentity identity = PreActIdentity.Activated)
        : base(nameof(PreActResNet18))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numClasses, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(inChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);

        conv1 = Conv2d(inChannels, width, kernel_size: 3, stride: 1, padding: 1, bias: false);
        layer1 = Stage(width, width, stride: 1, identity);
        layer2 = Stage(width, 2 * width, stride: 2, identity);
        layer3 = Stage(2 * width, 4 * width, stride: 2, identity);
        layer4 = Stage(4 * width, 8 * width, stride: 2, identity);
        pool = Sequential(AdaptiveAvgPool2d(1), Flatten());
        linear = Linear(8 * width, numClasses);
        RegisterComponents();
    }

    private static Sequential Stage(long inPlanes, long planes, long stride, PreActIdentity identity) =>
        Sequential(new PreActBlock(inPlanes, planes, stride, identity), new PreActBlock(planes, planes, 1, identity));
}
