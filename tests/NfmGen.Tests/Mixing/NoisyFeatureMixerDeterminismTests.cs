using NfmGen.Mixing;
using static TorchSharp.torch;

namespace NfmGen.Tests.Mixing;

public class NoisyFeatureMixerDeterminismTests
{
    private static readonly NfmOptions Options = NfmPresets.Nfm(alpha: 1, additive: 0.4, multiplicative: 0.2);

    /// <summary>Five steps of a mixer and its outputs on fixed features.</summary>
    private static List<(NfmStep Step, Tensor Output)> Run(NoisyFeatureMixer mixer, int steps = 5)
    {
        var features = arange(8 * 3, dtype: ScalarType.Float32).reshape(8, 3);
        return Enumerable.Range(0, steps).Select(_ =>
        {
            var step = mixer.Sample(8);
            return (step, mixer.Apply(features, step));
        }).ToList();
    }

    private static bool Same((NfmStep Step, Tensor Output) a, (NfmStep Step, Tensor Output) b) =>
        a.Step.MixPoint == b.Step.MixPoint
        && a.Step.Lambda.Equals(b.Step.Lambda)
        && a.Step.AdditiveScale.Equals(b.Step.AdditiveScale)
        && a.Step.MultiplicativeScale.Equals(b.Step.MultiplicativeScale)
        && TensorAssert.AreIdentical(a.Step.Permutation, b.Step.Permutation)
        && TensorAssert.AreIdentical(a.Output, b.Output); // bit for bit, not close

    [Fact]
    public void The_same_seed_gives_bit_identical_steps_and_outputs()
    {
        using var scope = NewDisposeScope();
        using var first = new NoisyFeatureMixer(Options, TestNetworks.PreActResNet18, 42, CPU);
        using var second = new NoisyFeatureMixer(Options, TestNetworks.PreActResNet18, 42, CPU);
        var a = Run(first);
        var b = Run(second);
        Assert.All(a.Zip(b), pair => Assert.True(Same(pair.First, pair.Second)));
    }

    [Fact]
    public void Different_seeds_give_different_steps_and_outputs()
    {
        using var scope = NewDisposeScope();
        using var first = new NoisyFeatureMixer(Options, TestNetworks.PreActResNet18, 42, CPU);
        using var second = new NoisyFeatureMixer(Options, TestNetworks.PreActResNet18, 43, CPU);
        var a = Run(first);
        var b = Run(second);
        Assert.All(a.Zip(b), pair =>
        {
            Assert.NotEqual(pair.First.Step.Lambda, pair.Second.Step.Lambda);
            Assert.False(TensorAssert.AreIdentical(pair.First.Output, pair.Second.Output));
        });
    }

    [Fact]
    public void Restoring_the_state_repeats_the_following_steps()
    {
        using var scope = NewDisposeScope();
        using var original = new NoisyFeatureMixer(Options, TestNetworks.PreActResNet18, 7, CPU);
        Run(original, steps: 3);
        var state = original.GetState();
        var expected = Run(original);

        using var resumed = new NoisyFeatureMixer(Options, TestNetworks.PreActResNet18, 1234, CPU);
        resumed.SetState(state);
        var actual = Run(resumed);
        Assert.All(expected.Zip(actual), pair => Assert.True(Same(pair.First, pair.Second)));
    }

    [Fact]
    public void The_mixer_does_not_read_the_global_generator()
    {
        // Other tests draw from the global generator in parallel, so reseed it between the two runs and compare outputs.
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var first = new NoisyFeatureMixer(Options, TestNetworks.PreActResNet18, 7, CPU);
        var a = Run(first);
        manual_seed(2);
        using var second = new NoisyFeatureMixer(Options, TestNetworks.PreActResNet18, 7, CPU);
        var b = Run(second);

        Assert.All(a.Zip(b), pair => Assert.True(Same(pair.First, pair.Second)));
    }
}
