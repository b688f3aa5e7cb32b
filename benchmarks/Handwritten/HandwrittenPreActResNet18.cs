using NfmGen.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NfmGen.Benchmarks.Handwritten;

/// <summary>
/// <see cref="Models.PreActResNet18"/> written the way a TorchSharp user would without the generator: the same layers
/// and state-dict names, reflection-based <c>RegisterComponents()</c> and a handwritten <c>forward</c>. The yardstick
/// for the generated forward's overhead.
/// </summary>
public sealed class HandwrittenPreActResNet18 : Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly Sequential layer1;
    private readonly Sequential layer2;
    private readonly Sequential layer3;
    private readonly Sequential layer4;
    private readonly Linear linear;

    /// <summary>Builds the twin of <c>new PreActResNet18(numClasses, 3, width)</c>.</summary>
    public HandwrittenPreActResNet18(int numClasses = 10, int width = 64) : base(nameof(HandwrittenPreActResNet18))
    {
        conv1 = Conv2d(3, width, kernel_size: 3, stride: 1, padding: 1, bias: false);
        layer1 = Stage(width, width, 1);
        layer2 = Stage(width, 2 * width, 2);
        layer3 = Stage(2 * width, 4 * width, 2);
        layer4 = Stage(4 * width, 8 * width, 2);
        linear = Linear(8 * width, numClasses);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        var x = conv1.call(input);
        x = layer1.call(x);
        x = layer2.call(x);
        x = layer3.call(x);
        x = layer4.call(x);
        x = functional.adaptive_avg_pool2d(x, 1).flatten(1);
        return linear.call(x);
    }

    private static Sequential Stage(long inPlanes, long planes, long stride) =>
        Sequential(new PreActBlock(inPlanes, planes, stride), new PreActBlock(planes, planes, 1));
}
