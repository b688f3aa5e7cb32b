using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NfmGen.Models;

/// <summary>
/// The pre-activation basic block of He et al. (2016): BN-ReLU-conv twice, with a 1x1 projection on the shortcut when
/// the shape changes. Names follow the reference PyTorch code so that state dicts load across.
/// </summary>
public sealed class PreActBlock : Module<Tensor, Tensor>
{
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn2;
    private readonly Conv2d conv2;
    private readonly Sequential? shortcut;

    /// <summary>A block from <paramref name="inPlanes"/> to <paramref name="planes"/> channels.</summary>
    public PreActBlock(long inPlanes, long planes, long stride = 1) : base(nameof(PreActBlock))
    {
        bn1 = BatchNorm2d(inPlanes);
        conv1 = Conv2d(inPlanes, planes, kernel_size: 3, stride: stride, padding: 1, bias: false);
        bn2 = BatchNorm2d(planes);
        conv2 = Conv2d(planes, planes, kernel_size: 3, stride: 1, padding: 1, bias: false);
        if (stride != 1 || inPlanes != planes)
            shortcut = Sequential(Conv2d(inPlanes, planes, kernel_size: 1, stride: stride, bias: false));
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        var activated = functional.relu(bn1.call(x));
        var identity = shortcut is null ? x : shortcut.call(activated);
        var output = conv1.call(activated);
        output = conv2.call(functional.relu(bn2.call(output)));
        return output.add_(identity);
    }
}
