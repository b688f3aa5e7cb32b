using NfmGen.Models;
using NfmGen.Tests.Generator.Networks;
using NfmGen.Tests.Mixing;
using static TorchSharp.torch;

namespace NfmGen.Tests.Generator;

/// <summary>What the generated code does at run time: optional layers, unassigned layers, tensor lifetimes, metadata.</summary>
public sealed class GeneratedNetworkTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void OptionalLayersAreSkippedWhileNullAndRegisteredOnlyWhenSet(bool withOptionalLayers)
    {
        using var scope = NewDisposeScope();
        using var network = new OptionalLayerNet(withOptionalLayers);
        var x = randn(4, 3);

        var expected = network.Expected(x);
        Assert.True(expected.allclose(network.call(x)));
        Assert.True(expected.allclose(network.ForwardFrom(1, network.ForwardTo(1, x))));
        Assert.True(expected.allclose(network.ForwardFrom(0, network.ForwardTo(0, x))));
        string[] always = ["hidden.weight", "hidden.bias"];
        string[] optional = ["before.weight", "before.bias", "after.weight", "after.bias"];
        Assert.Equal(
            (withOptionalLayers ? always.Concat(optional) : always).Order(),
            network.state_dict().Keys.Order());
    }

    [Fact]
    public void EveryGeneratedNetworkHandsOutItselfAsItsModule()
    {
        using var optional = new OptionalLayerNet(withOptionalLayers: true);
        INfmNetwork network = optional;
        Assert.Same(optional, network.Module);
        foreach (var model in ModelZoo.All)
        {
            var created = model.Create(new ModelShape(Classes: 3, InChannels: model.Name == "toy-mlp" ? 2 : 1, ImageSize: 28, Width: 4));
            using var module = created.Module;
            Assert.Same(created, module);
        }
    }

    [Fact]
    public void AMixableLayerNeverAssignedIsNamedWhenTheNetworkIsBuilt()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new UnassignedLayerNet());
        Assert.Equal(
            "UnassignedLayerNet.hidden1 is null: assign it in the constructor before RegisterComponents(), or declare it nullable if it is optional",
            error.Message);
    }

    [Fact]
    public void ALayerAssignedAfterRegisterComponentsIsNamed()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new LateLayerNet());
        Assert.StartsWith("LateLayerNet.output is null: assign it in the constructor before RegisterComponents()", error.Message);
    }

    [Fact]
    public void DisposingForwardToAtTheInputLeavesTheInputUsable()
    {
        using var scope = NewDisposeScope();
        using var network = new ToyMlp();
        var x = randn(8, 2);
        var before = x.clone();

        using (var features = network.ForwardTo(0, x))
            TensorAssert.Identical(before, features);

        TensorAssert.Identical(before, x);
        Assert.True(network.call(x).allclose(network.ForwardFrom(0, x)));
    }

    [Fact]
    public void DisposingForwardFromAtTheOutputLeavesTheFeaturesUsable()
    {
        using var scope = NewDisposeScope();
        using var network = new MixableLastNet();
        var h = randn(4, 2);
        var before = h.clone();

        using (var output = network.ForwardFrom(1, h))
            TensorAssert.Identical(before, output);

        TensorAssert.Identical(before, h);
    }

    [Fact]
    public void DisposingTheOutputOfSkippedLayersLeavesTheInputUsable()
    {
        using var scope = NewDisposeScope();
        using var network = new OnlyOptionalNet();
        var x = randn(4, 2);
        var before = x.clone();

        using (var output = network.call(x))
            TensorAssert.Identical(before, output);
        using (var output = network.ForwardFrom(0, x))
            TensorAssert.Identical(before, output);

        TensorAssert.Identical(before, x);
    }

    [Fact]
    public void MetadataSaysWhetherForwardIsHandWritten()
    {
        Assert.True(CustomForwardNet.NetworkInfo.HasCustomForward);
        Assert.False(ToyMlp.NetworkInfo.HasCustomForward);
    }
}
