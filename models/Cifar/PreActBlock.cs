using NfmGen.Interop;
using NfmGen.Network;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NfmGen.Models;

/// <summary>What the identity shortcut of a <see cref="PreActBlock"/> adds to the residual branch when the block keeps its shape.</summary>
public enum PreActIdentity
{
    /// <summary>
    /// The activated input <c>relu(bn1(x))</c>, as erichson/NFM's <c>src/cifar_models/preresnet.py</c> does (its identity
    /// shortcut is an empty <c>nn.Sequential</c> applied to the activated input): the function the paper's numbers come from.
    /// </summary>
    Activated,

    /// <summary>The raw input <c>x</c>, as He et al. (2016, "Identity Mappings in Deep Residual Networks") and kuangliu/pytorch-cifar do.</summary>
    Raw,
}

/// <summary>
/// The pre-activation basic block (He et al., 2016) as the NFM reference code defines it: BN-ReLU-conv twice, plus a
/// shortcut that takes the activated input, through a 1x1 projection when the shape changes. Names follow that code
/// so that state dicts load across; <see cref="PreActIdentity.Raw"/> gives He et al.'s identity instead, with the same
/// names and shapes but another function.
/// </summary>
public sealed class PreActBlock : Module<Tensor, Tensor>, IOnnxLayer
{
    private readonly HeldBatchNorm2d bn1;
    private readonly Conv2d conv1;
    private readonly HeldBatchNorm2d bn2;
    private readonly Conv2d conv2;
    private readonly Sequential? shortcut;
    private readonly PreActIdentity identity;

    /// <summary>A block from <paramref name="inPlanes"/> to <paramref name="planes"/> channels.</summary>
    /// <param name="inPlanes">Channels of the input.</param>
    /// <param name="planes">Channels of the output.</param>
    /// <param name="stride">Stride of the first convolution and of the projection shortcut.</param>
    /// <param name="identity">What the identity shortcut adds (the projection always takes the activated input):
    /// the reference code's activated input by default.</param>
    public PreActBlock(long inPlanes, long planes, long stride = 1, PreActIdentity identity = PreActIdentity.Activated) : base(nameof(PreActBlock))
    {
        if (!Enum.IsDefined(identity))
            throw new ArgumentOutOfRangeException(nameof(identity), identity, $"accepted: {string.Join(", ", Enum.GetNames<PreActIdentity>())}");
        bn1 = new HeldBatchNorm2d(inPlanes);
        conv1 = Conv2d(inPlanes, planes, kernel_size: 3, stride: stride, padding: 1, bias: false);
        bn2 = new HeldBatchNorm2d(planes);
        conv2 = Conv2d(planes, planes, kernel_size: 3, stride: 1, padding: 1, bias: false);
        if (stride != 1 || inPlanes != planes)
            shortcut = Sequential(Conv2d(inPlanes, planes, kernel_size: 1, stride: stride, bias: false));
        this.identity = identity;
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        var activated = functional.relu(bn1.call(x));
        var residual = shortcut is not null ? shortcut.call(activated)
            : identity == PreActIdentity.Activated ? activated
            : x;
        var output = conv1.call(activated);
        output = conv2.call(functional.relu(bn2.call(output)));
        using var scalars = new ScalarScope();
        return output.add_(residual, scalars.Of(1));
    }

    /// <inheritdoc />
    public string AddTo(OnnxGraph graph, string input)
    {
        var activated = graph.Node("Relu", [graph.Layer(bn1, input)]);
        var residual = shortcut is not null ? graph.Layer(shortcut, activated)
            : identity == PreActIdentity.Activated ? activated
            : input;
        var output = graph.Layer(conv1, activated);
        output = graph.Layer(conv2, graph.Node("Relu", [graph.Layer(bn2, output)]));
        return graph.Node("Add", [output, residual]);
    }
}
