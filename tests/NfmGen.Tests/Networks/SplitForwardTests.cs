using NfmGen.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace NfmGen.Tests.Networks;

/// <summary>The generated split passes of the zoo compose to the full forward pass, and gradients cross the mix point.</summary>
public sealed class SplitForwardTests
{
    public static TheoryData<string> ZooModels => new() { nameof(PreActResNet18), nameof(ToyMlp), nameof(SmallConvNet), nameof(WideResNet), nameof(ResNet50) };

    private static (nn.Module<Tensor, Tensor> Module, INfmNetwork Network, Tensor Input) Create(string model)
    {
        torch.manual_seed(7);
        return model switch
        {
            nameof(PreActResNet18) => Pair(new PreActResNet18(numClasses: 10, inChannels: 3, width: 4), randn(2, 3, 32, 32)),
            nameof(ToyMlp) => Pair(new ToyMlp(), randn(8, 2)),
            nameof(SmallConvNet) => Pair(new SmallConvNet(width: 4), randn(2, 1, 28, 28)),
            nameof(WideResNet) => Pair(new WideResNet(numClasses: 10, inChannels: 3, widenFactor: 1, depth: 10), randn(2, 3, 32, 32)),
            nameof(ResNet50) => Pair(new ResNet50(numClasses: 1000, inChannels: 3, width: 8), randn(2, 3, 64, 64)),
            _ => throw new ArgumentOutOfRangeException(nameof(model), model, "not a zoo model"),
        };

        static (nn.Module<Tensor, Tensor>, INfmNetwork, Tensor) Pair(INfmNetwork network, Tensor input) => (network.Module, network, input);
    }

    [Theory]
    [MemberData(nameof(ZooModels))]
    public void ForwardFromAfterForwardToEqualsForwardAtEveryMixPoint(string model)
    {
        using var scope = NewDisposeScope();
        var (module, network, input) = Create(model);
        module.eval();

        var expected = module.call(input);
        for (var k = 0; k < network.Info.MixPointCount; k++)
        {
            var split = network.ForwardFrom(k, network.ForwardTo(k, input));
            Assert.True(split.equal(expected).all().item<bool>(), $"{model}: mix point {k} ({network.Info.MixPoints[k]}) differs from forward");
        }
    }

    [Theory]
    [MemberData(nameof(ZooModels))]
    public void GradientsReachTheLayersBeforeTheLastMixPoint(string model)
    {
        using var scope = NewDisposeScope();
        var (module, network, input) = Create(model);
        var last = network.Info.MixPointCount - 1;

        var output = network.ForwardMixed(last, input, new Doubling());
        output.sum().backward();

        var first = module.named_parameters().First();
        Assert.NotNull(first.parameter.grad);
        Assert.True(first.parameter.grad!.abs().sum().item<float>() > 0, $"{model}: no gradient reached {first.name}");
    }

    [Fact]
    public void ForwardMixedAppliesTheTransformAtTheMixPoint()
    {
        using var scope = NewDisposeScope();
        var (module, network, input) = Create(nameof(ToyMlp));
        module.eval();

        var mixed = network.ForwardMixed(1, input, new Doubling());
        var expected = network.ForwardFrom(1, network.ForwardTo(1, input) * 2);

        Assert.True(mixed.allclose(expected));
        Assert.False(mixed.allclose(module.call(input)));
    }

    [Fact]
    public void GeneratedRegistrationKeepsTorchSharpStateDictNames()
    {
        using var network = new PreActResNet18(width: 4);
        var names = network.state_dict().Keys.ToList();

        Assert.Equal("conv1.weight", names[0]);
        Assert.Contains("layer1.0.bn1.weight", names);
        Assert.Contains("layer1.0.bn1.num_batches_tracked", names);
        Assert.Contains("layer2.0.shortcut.0.weight", names);
        Assert.Contains("layer4.1.bn2.running_mean", names);
        Assert.Contains("linear.bias", names);
        Assert.DoesNotContain(names, name => name.Contains("k__BackingField") || name.Contains("Pool"));
    }

    [Fact]
    public void MixPointOutOfRangeNamesTheAcceptedValues()
    {
        using var scope = NewDisposeScope();
        var (_, network, input) = Create(nameof(ToyMlp));

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => network.ForwardTo(3, input));
        Assert.Contains("ToyMlp has no mix point 3 (accepted: 0 input, 1 hidden1, 2 hidden2)", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => network.ForwardFrom(-1, input));
    }

    [Fact]
    public void MetadataListsMixPointsAndLayers()
    {
        var info = PreActResNet18.NetworkInfo;

        Assert.Equal(["input", "layer1", "layer2", "layer3"], info.MixPoints);
        Assert.Equal([0, 1, 2, 3], info.EligibleMixPoints);
        Assert.Equal(["conv1", "layer1", "layer2", "layer3", "layer4", "pool", "linear"], info.Layers.Select(layer => layer.Name));
        // Modules all, so that ONNX export sees what each computes.
        Assert.All(info.Layers, layer => Assert.Equal(LayerKind.Module, layer.Kind));
    }

    private sealed class Doubling : IFeatureTransform
    {
        public Tensor Apply(Tensor features) => features * 2;
    }
}
