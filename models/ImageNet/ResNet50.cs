using NfmGen.Network;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NfmGen.Models;

/// <summary>
/// ResNet-50 (He et al., 2016), the paper's ImageNet network, in torchvision's layout and state-dict names, which the
/// NFM reference code (erichson/NFM, <c>src/imagenet_models/resnet.py</c>) uses too (25,557,032 parameters at 1000
/// classes), with that code's mix points: the input and the outputs of the first three residual stages.
/// </summary>
[NfmNetwork]
public sealed partial class ResNet50 : Module<Tensor, Tensor>
{
    [Layer] private readonly Conv2d conv1;
    [Layer] private readonly HeldBatchNorm2d bn1;
    [Layer] private readonly ReLU relu;
    [Layer] private readonly MaxPool2d maxpool;
    [Mixable] private readonly Sequential layer1;
    [Mixable] private readonly Sequential layer2;
    [Mixable] private readonly Sequential layer3;
    [Layer] private readonly Sequential layer4;
    [Layer] private readonly AdaptiveAvgPool2d avgpool;
    [Layer] private readonly Flatten flatten;
    [Layer] private readonly Linear fc;

    /// <summary>Builds the network.</summary>
    /// <param name="numClasses">Number of output classes.</param>
    /// <param name="inChannels">Channels of the input images.</param>
    /// <param name="width">Channels of the stem and inner planes of the first stage (64 in the paper); the stages have
    /// width, 2x, 4x and 8x inner planes and four times as many output channels.</param>
    public ResNet50(int numClasses = 1000, int inChannels = 3, int width = 64) : base(nameof(ResNet50))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numClasses, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(inChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);

        conv1 = Conv2d(inChannels, width, kernel_size: 7, stride: 2, padding: 3, bias: false);
        bn1 = new HeldBatchNorm2d(width);
        relu = ReLU();
        maxpool = MaxPool2d(kernel_size: 3, stride: 2, padding: 1);
        layer1 = Stage(width, width, blocks: 3, stride: 1);
        layer2 = Stage(Bottleneck.Expansion * width, 2 * width, blocks: 4, stride: 2);
        layer3 = Stage(Bottleneck.Expansion * 2 * width, 4 * width, blocks: 6, stride: 2);
        layer4 = Stage(Bottleneck.Expansion * 4 * width, 8 * width, blocks: 3, stride: 2);
        avgpool = AdaptiveAvgPool2d(1);
        flatten = Flatten();
        fc = Linear(Bottleneck.Expansion * 8 * width, numClasses);
        RegisterComponents();

        // torchvision's initialisation: He-normal for the convolutions (fan-out, as the ResNet paper); the batch norms
        // and the classifier keep their defaults, which are torchvision's too.
        foreach (var conv in modules().OfType<Conv2d>())
            init.kaiming_normal_(conv.weight!, mode: init.FanInOut.FanOut, nonlinearity: init.NonlinearityType.ReLU);
    }

    private static Sequential Stage(long inPlanes, long planes, int blocks, long stride) =>
        Sequential(Enumerable.Range(0, blocks)
            .Select(index => (Module<Tensor, Tensor>)(index == 0
                ? new Bottleneck(inPlanes, planes, stride)
                : new Bottleneck(Bottleneck.Expansion * planes, planes, 1))));
}
