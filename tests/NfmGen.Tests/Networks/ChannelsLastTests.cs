using NfmGen.Mixing;
using NfmGen.Models;
using NfmGen.Network;
using NfmGen.Tests.Mixing;
using static TorchSharp.torch;

namespace NfmGen.Tests.Networks;

/// <summary>The channels-last layout: the same values in other strides, kept through mixing and noise, and the same network outputs.</summary>
public class ChannelsLastTests
{
    private static Tensor Batch(long seed = 1)
    {
        using var generator = new TorchSharp.torch.Generator((ulong)seed, CPU);
        return randn([6, 3, 4, 5], generator: generator);
    }

    [Fact]
    public void Apply_keeps_the_values_and_lays_channels_innermost()
    {
        using var scope = NewDisposeScope();
        var batch = Batch();

        var laidOut = ChannelsLast.Apply(batch);

        Assert.True(ChannelsLast.IsChannelsLast(laidOut));
        Assert.False(ChannelsLast.IsChannelsLast(batch));
        Assert.Equal(new long[] { 60, 1, 15, 3 }, laidOut.stride());
        TensorAssert.Identical(batch, laidOut);
    }

    [Fact]
    public void A_batch_already_channels_last_comes_back_as_an_alias_the_caller_may_dispose()
    {
        using var scope = NewDisposeScope();
        var laidOut = ChannelsLast.Apply(Batch());
        var before = laidOut.clone();

        using (var again = ChannelsLast.Apply(laidOut))
        {
            Assert.NotSame(laidOut, again);
            Assert.Equal(laidOut.stride(), again.stride());
            TensorAssert.Identical(before, again);
        }

        TensorAssert.Identical(before, laidOut);
    }

    [Theory]
    [InlineData(1, 28, 28)] // grey images: a permute-and-copy would keep NCHW strides
    [InlineData(8, 1, 1)]   // 1x1 feature maps
    public void Degenerate_shapes_get_channels_last_strides_too(long channels, long height, long width)
    {
        using var scope = NewDisposeScope();
        var batch = randn(3, channels, height, width);

        var laidOut = ChannelsLast.Apply(batch);

        Assert.Equal(new[] { channels * height * width, 1, width * channels, channels }, laidOut.stride());
        Assert.True(ChannelsLast.IsChannelsLast(laidOut));
        TensorAssert.Identical(batch, laidOut);
    }

    [Fact]
    public void Tensors_that_are_not_image_batches_pass_through()
    {
        using var scope = NewDisposeScope();
        var features = randn(8, 2);
        var before = features.clone();

        using (var passed = ChannelsLast.Apply(features))
            TensorAssert.Identical(before, passed);

        TensorAssert.Identical(before, features);
        Assert.False(ChannelsLast.IsChannelsLast(features));
    }

    [Fact]
    public void The_CPU_uses_it_by_default_and_CUDA_does_not()
    {
        Assert.True(ChannelsLast.IsDefaultFor(CPU));
        Assert.False(ChannelsLast.IsDefaultFor(new Device(TorchSharp.DeviceType.CUDA, 0)));
    }

    [Fact]
    public void Mixing_channels_last_features_gives_the_same_values_and_keeps_the_layout()
    {
        using var scope = NewDisposeScope();
        using var mixer = new NoisyFeatureMixer(new NfmOptions { Alpha = 1 }, TestNetworks.PreActResNet18, seed: 3, CPU);
        var features = Batch();
        var step = mixer.Sample(6);

        var mixed = mixer.Apply(ChannelsLast.Apply(features), step);

        Assert.True(ChannelsLast.IsChannelsLast(mixed));
        TensorAssert.Close(mixer.Apply(features, step), mixed, 1e-6);
    }

    [Fact]
    public void Noise_on_channels_last_features_keeps_the_layout_its_statistics_and_the_gradient()
    {
        using var scope = NewDisposeScope();
        using var mixer = new NoisyFeatureMixer(
            new NfmOptions { Alpha = 0, AdditiveNoise = 0.5, NoiseScale = NoiseScaleRule.Fixed }, TestNetworks.PreActResNet18, seed: 3, CPU);
        var features = ChannelsLast.Apply(zeros(64, 8, 16, 16)).requires_grad_(true);

        var noisy = mixer.Apply(features, mixer.Sample(64));
        noisy.sum().backward();

        Assert.True(ChannelsLast.IsChannelsLast(noisy));
        Assert.InRange(noisy.mean().item<float>(), -0.01, 0.01);
        Assert.InRange(noisy.std().item<float>(), 0.49, 0.51);
        TensorAssert.Identical(ones_like(features), features.grad!);
    }

    [Fact]
    public void A_network_gives_the_same_outputs_and_gradients_on_channels_last_inputs()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        using var network = new PreActResNet18(width: 4);
        var inputs = randn(4, 3, 32, 32);

        var plain = network.call(inputs);
        plain.sum().backward();
        var plainGradient = network.parameters().First().grad!.clone();
        network.zero_grad();
        var laidOut = network.call(ChannelsLast.Apply(inputs));
        laidOut.sum().backward();

        TensorAssert.Close(plain, laidOut, 1e-4);
        TensorAssert.Close(plainGradient, network.parameters().First().grad!, 1e-3);
    }
}
