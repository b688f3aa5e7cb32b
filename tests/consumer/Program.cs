// A user's own program: declares a network with NfmGen's attributes (the generator runs in this project's build) and
// runs it, which loads TorchSharp's native library from this project's output folder; then runs a network of the zoo.
using NfmGen;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

using var network = new TinyNet();
network.eval();
using var input = randn(4, 3);
using var output = network.forward(input);
using var features = network.ForwardTo(1, input);
using var resumed = network.ForwardFrom(1, features);
if (!output.allclose(resumed))
    throw new InvalidOperationException("ForwardFrom(1, ForwardTo(1, x)) differs from forward(x)");
if (((INfmNetwork)network).Info.MixPoints.Count != 2)
    throw new InvalidOperationException($"expected mix points 0 (input) and 1, got {((INfmNetwork)network).Info.MixPoints.Count}");
if (!ReferenceEquals(((INfmNetwork)network).Module, network))
    throw new InvalidOperationException("the generated INfmNetwork.Module is not the network itself");
// The zoo, as README's "Training from code" uses it: a network of the paper, passed as it is.
using var zoo = new NfmGen.Models.PreActResNet18(width: 4);
zoo.eval();
using var images = randn(2, 3, 32, 32);
using var logits = zoo.forward(images);
if (logits.shape[1] != 10)
    throw new InvalidOperationException($"PreActResNet18 gave [{string.Join(", ", logits.shape)}] logits, expected 10 classes");
Console.WriteLine($"OK: TinyNet [{string.Join(", ", output.shape)}], {network.parameters().Count()} parameter tensors; PreActResNet18 [{string.Join(", ", logits.shape)}]");

/// <summary>The smallest network with a mix point after a layer.</summary>
[NfmNetwork]
public sealed partial class TinyNet : Module<Tensor, Tensor>
{
    [Mixable] private readonly Sequential hidden;
    [Layer] private readonly Linear output;

    public TinyNet() : base(nameof(TinyNet))
    {
        hidden = Sequential(Linear(3, 8), ReLU());
        output = Linear(8, 2);
        RegisterComponents();
    }
}
