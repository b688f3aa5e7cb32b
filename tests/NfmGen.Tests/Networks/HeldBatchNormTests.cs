using NfmGen.Network;
using TorchSharp;
using static TorchSharp.torch;

namespace NfmGen.Tests.Networks;

/// <summary><see cref="HeldBatchNorm1d"/> and <see cref="HeldBatchNorm2d"/> are TorchSharp's batch norms: same outputs, statistics and state dict.</summary>
public sealed class HeldBatchNormTests
{
    [Theory]
    [InlineData(2, 0.1)]
    [InlineData(4, 0.1)]
    [InlineData(4, 0.9)]
    public void They_normalise_count_and_save_as_torchsharps_do(int rank, double momentum)
    {
        using nn.Module<Tensor, Tensor> held = rank == 2 ? new HeldBatchNorm1d(3, momentum: momentum) : new HeldBatchNorm2d(3, momentum: momentum);
        using nn.Module<Tensor, Tensor> theirs = rank == 2 ? nn.BatchNorm1d(3, momentum: momentum) : nn.BatchNorm2d(3, momentum: momentum);
        var generator = new torch.Generator(11);
        foreach (var training in new[] { true, true, false, true })
        {
            using var scope = NewDisposeScope();
            held.train(training);
            theirs.train(training);
            var input = randn(rank == 2 ? [8, 3] : [8, 3, 4, 4], generator: generator);
            Assert.True(held.call(input).equal(theirs.call(input)).all().item<bool>());
        }

        var (ours, reference) = (held.state_dict(), theirs.state_dict());
        Assert.Equal(reference.Keys, ours.Keys);
        Assert.All(reference, entry => Assert.True(entry.Value.equal(ours[entry.Key]).all().item<bool>(), entry.Key));
        Assert.Equal(3L, ours["num_batches_tracked"].item<long>());
    }

    [Fact]
    public void Without_momentum_they_average_over_all_batches_as_torchsharps_does()
    {
        using var held = new HeldBatchNorm2d(3) { momentum = null };
        using var theirs = nn.BatchNorm2d(3);
        theirs.momentum = null;
        var generator = new torch.Generator(5);
        for (var step = 0; step < 3; step++)
        {
            using var scope = NewDisposeScope();
            var input = randn([4, 3, 2, 2], generator: generator);
            Assert.True(held.call(input).equal(theirs.call(input)).all().item<bool>());
        }
        Assert.True(held.running_mean!.equal(theirs.running_mean!).all().item<bool>());
        Assert.True(held.running_var!.equal(theirs.running_var!).all().item<bool>());
    }

    [Fact]
    public void A_batch_of_the_wrong_rank_is_refused_as_torchsharp_refuses_it()
    {
        using var norm = new HeldBatchNorm2d(3);
        using var flat = ones(2, 3);

        var error = Assert.Throws<ArgumentException>(() => norm.call(flat));
        Assert.StartsWith("expected 4D input, but got 2D input.", error.Message, StringComparison.Ordinal);
    }
}
