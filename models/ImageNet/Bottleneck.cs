using NfmGen.Interop;
using NfmGen.Network;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NfmGen.Models;

/// <summary>
/// The bottleneck block of ResNet-50 in torchvision's layout (stride on the 3x3 convolution, "ResNet v1.5"):
/// 1x1 reduce, 3x3, 1x1 expand to 4x the planes, each with batch norm, plus the input (through <c>downsample</c> when
/// the shape changes), then ReLU. Names follow torchvision so that its state dicts load across.
/// </summary>
public sealed class Bottleneck : Module<Tensor, Tensor>, IOnnxLayer
{
    /// <summary>How many times wider the block's output is than its inner planes.</summary>
    public const int Expansion = 4;

    private readonly Conv2d conv1;
    private readonly HeldBatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly HeldBatchNorm2d bn2;
    private readonly Conv2d conv3;
    private readonly HeldBatchNorm2d bn3;
    private readonly Sequential? downsample;

    /// <summary>A block from <paramref name="inPlanes"/> channels to <see cref="Expansion"/> x <paramref name="planes"/>.</summary>
    /// <param name="inPlanes">Channels of the input.</param>
    /// <param name="planes">Channels inside the block.</param>
    /// <param name="stride">Stride of the 3x3 convolution and of the downsampling shortcut.</param>
    public Bottleneck(long inPlanes, long planes, long stride = 1) : base(nameof(Bottleneck))
    {
        var outPlanes = Expansion * planes;
        conv1 = Conv2d(inPlanes, planes, kernel_size: 1, bias: false);
        bn1 = new HeldBatchNorm2d(planes);
        conv2 = Conv2d(planes, planes, kernel_size: 3, stride: stride, padding: 1, bias: false);
        bn2 = new HeldBatchNorm2d(planes);
        conv3 = Conv2d(planes, outPlanes, kernel_size: 1, bias: false);
        bn3 = new HeldBatchNorm2d(outPlanes);
        if (stride != 1 || inPlanes != outPlanes)
            downsample = Sequential(Conv2d(inPlanes, outPlanes, kernel_size: 1, stride: stride, bias: false), new HeldBatchNorm2d(outPlanes));
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        var output = functional.relu(bn1.call(conv1.call(x)));
        output = functional.relu(bn2.call(conv2.call(output)));
        output = bn3.call(conv3.call(output));
        using var scalars = new ScalarScope();
        return functional.relu(output.add_(downsample is null ? x : downsample.call(x), scalars.Of(1)));
    }

    /// <inheritdoc />
    public string AddTo(OnnxGraph graph, string input)
    {
        var output = graph.Node("Relu", [graph.Layer(bn1, graph.Layer(conv1, input))]);
        output = graph.Node("Relu", [graph.Layer(bn2, graph.Layer(conv2, output))]);
        output = graph.Layer(bn3, graph.Layer(conv3, output));
        return graph.Node("Relu", [graph.Node("Add", [output, downsample is null ? input : graph.Layer(downsample, input)])]);
    }
}
