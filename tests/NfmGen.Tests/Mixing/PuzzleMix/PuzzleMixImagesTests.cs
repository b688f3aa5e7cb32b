using System.Collections.Concurrent;
using NfmGen.Data;
using NfmGen.Mixing.PuzzleMix;
using static TorchSharp.torch;

namespace NfmGen.Tests.Mixing.PuzzleMix;

/// <summary>The properties of Puzzle Mix's masks and mixed batches, and how the labelling runs.</summary>
public class PuzzleMixImagesTests
{
    private static readonly Normalization Cifar = Normalization.Cifar10;

    /// <summary>A seeded batch: normalised images (N, C, S, S), a saliency map (N, S, S) and a permutation.</summary>
    private static (Tensor Inputs, Tensor Saliency, Tensor Permutation) Batch(int samples, int side, long seed, Normalization? normalization = null)
    {
        normalization ??= Cifar;
        using var generator = new TorchSharp.torch.Generator((ulong)seed, CPU);
        var pixels = rand([samples, normalization.Channels, side, side], generator: generator);
        var saliency = rand([samples, side, side], generator: generator).pow(4);
        var permutation = randperm(samples, generator: generator);
        return (normalization.Normalize(pixels), saliency, permutation);
    }

    private static float[] Values(Tensor tensor) => tensor.cpu().contiguous().data<float>().ToArray();

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(16)]
    public void Mix_gives_a_batch_of_the_inputs_shape_and_one_share_per_sample(int blocks)
    {
        using var scope = NewDisposeScope();
        var (inputs, saliency, permutation) = Batch(6, 32, seed: blocks);
        var (mixed, shares) = PuzzleMixImages.Mix(inputs, saliency, permutation, blocks, 0.4, new PuzzleMixOptions(), Cifar, parallelism: 2);
        Assert.Equal(inputs.shape, mixed.shape);
        Assert.Equal(ScalarType.Float32, mixed.dtype);
        Assert.Equal([6L], shares.shape);
        Assert.Equal(ScalarType.Float32, shares.dtype);
        Assert.All(Values(mixed), value => Assert.True(float.IsFinite(value)));
        Assert.All(Values(shares), share => Assert.InRange(share, 0f, 1f));
        Assert.False(mixed.requires_grad);
    }

    [Theory]
    [InlineData(2, 4)]
    [InlineData(3, 8)]
    [InlineData(4, 16)]
    public void Every_block_gets_one_of_the_n_mask_values_and_the_shares_are_the_masks_means(int labels, int blocks)
    {
        using var scope = NewDisposeScope();
        var (inputs, saliency, permutation) = Batch(5, 32, seed: 10 + labels);
        var options = new PuzzleMixOptions(Labels: labels);
        var grid = PuzzleMixGrid.For(32, blocks, options);
        var costs = PuzzleMixCosts.Compute(inputs, saliency, permutation, grid, 0.5, options, Cifar);
        var labelling = PuzzleMixLabelling.Label(costs, parallelism: 2);
        Assert.Equal(5 * blocks * blocks, labelling.Length);
        Assert.All(labelling, label => Assert.InRange(label, 0, labels - 1));

        var masks = PuzzleMixLabelling.Masks(labelling, 5, blocks, labels, CPU);
        var allowed = Enumerable.Range(0, labels).Select(label => (float)(1.0 - (double)label / (labels - 1))).ToHashSet();
        Assert.All(Values(masks), value => Assert.Contains(value, allowed));

        var (mixed, shares) = PuzzleMixImages.MixWithMasks(inputs, saliency, permutation, grid, masks, options, Cifar);
        var expectedShares = Values(masks.reshape(5, -1).mean([1]));
        Assert.Equal(expectedShares, Values(shares), new FloatTolerance(1e-6f));

        // Mix is exactly these steps.
        var (mixedAtOnce, sharesAtOnce) = PuzzleMixImages.Mix(inputs, saliency, permutation, blocks, 0.5, options, Cifar, parallelism: 1);
        Assert.Equal(Values(mixed), Values(mixedAtOnce));
        Assert.Equal(Values(shares), Values(sharesAtOnce));
    }

    [Fact]
    public void Without_transport_each_pixel_is_its_blocks_mask_times_the_image_plus_the_rest_times_the_partner()
    {
        using var scope = NewDisposeScope();
        var (inputs, saliency, permutation) = Batch(3, 32, seed: 3);
        var options = new PuzzleMixOptions(Transport: false);
        var grid = PuzzleMixGrid.For(32, 4, options);
        var labels = Enumerable.Range(0, 3 * 16).Select(index => index * 7 % 3).ToArray();
        var masks = PuzzleMixLabelling.Masks(labels, 3, 4, 3, CPU);
        var (mixed, _) = PuzzleMixImages.MixWithMasks(inputs, saliency, permutation, grid, masks, options, Cifar);
        var pixelMasks = masks.repeat_interleave(8, 2).repeat_interleave(8, 3);
        var expected = pixelMasks.mul(inputs).add(pixelMasks.neg().add(1).mul(inputs.index_select(0, permutation)));
        Assert.Equal(Values(expected), Values(mixed));
    }

    [Theory]
    [InlineData(0.95, true)]
    [InlineData(0.05, false)]
    public void Lambda_near_1_keeps_mostly_the_own_image_and_near_0_mostly_the_partner(double lambda, bool mostlyOwn)
    {
        // With the same saliency everywhere only the prior and the smoothness speak.
        using var scope = NewDisposeScope();
        var (inputs, _, permutation) = Batch(32, 32, seed: 5);
        var uniform = ones(32, 32, 32);
        var (_, shares) = PuzzleMixImages.Mix(inputs, uniform, permutation, 8, lambda, new PuzzleMixOptions(), Cifar, parallelism: 2);
        var mean = shares.mean().item<float>();
        if (mostlyOwn)
            Assert.True(mean > 0.8f, $"mean own share {mean} at λ = {lambda}");
        else
            Assert.True(mean < 0.2f, $"mean own share {mean} at λ = {lambda}");
    }

    [Fact]
    public void The_same_inputs_give_identical_outputs()
    {
        using var scope = NewDisposeScope();
        var (inputs, saliency, permutation) = Batch(8, 32, seed: 7);
        var first = PuzzleMixImages.Mix(inputs, saliency, permutation, 16, 0.3, new PuzzleMixOptions(), Cifar, parallelism: 2);
        var second = PuzzleMixImages.Mix(inputs, saliency, permutation, 16, 0.3, new PuzzleMixOptions(), Cifar, parallelism: 2);
        Assert.Equal(Values(first.Mixed), Values(second.Mixed));
        Assert.Equal(Values(first.OwnShares), Values(second.OwnShares));
    }

    [Fact]
    public void The_labelling_does_not_depend_on_the_thread_count()
    {
        using var scope = NewDisposeScope();
        var (inputs, saliency, permutation) = Batch(16, 32, seed: 8);
        var options = new PuzzleMixOptions();
        var costs = PuzzleMixCosts.Compute(inputs, saliency, permutation, PuzzleMixGrid.For(32, 16, options), 0.6, options, Cifar);
        var sequential = PuzzleMixLabelling.Label(costs, parallelism: 1);
        Assert.Equal(sequential, PuzzleMixLabelling.Label(costs, parallelism: 2));
        Assert.Equal(sequential, PuzzleMixLabelling.Label(costs, parallelism: 5));
        Assert.Equal(sequential, PuzzleMixLabelling.Label(costs, parallelism: 64));
        // Not all one label: the cut has something to decide.
        Assert.True(sequential.Distinct().Count() > 1);
    }

    [Fact]
    public void With_parallelism_2_two_threads_label_at_the_same_time()
    {
        using var scope = NewDisposeScope();
        var (inputs, saliency, permutation) = Batch(8, 32, seed: 9);
        var options = new PuzzleMixOptions();
        var costs = PuzzleMixCosts.Compute(inputs, saliency, permutation, PuzzleMixGrid.For(32, 4, options), 0.5, options, Cifar);
        // Each thread waits after its first sample until another thread has labelled one too: this finishes only if two
        // threads are labelling at once (the timeout turns a failure into a failed assertion, not a hang).
        using var barrier = new Barrier(2);
        var threads = new ConcurrentDictionary<int, bool>();
        var met = true;
        PuzzleMixLabelling.Label(costs, parallelism: 2, sample =>
        {
            if (threads.TryAdd(Environment.CurrentManagedThreadId, true))
                met &= barrier.SignalAndWait(TimeSpan.FromSeconds(60));
        });
        Assert.True(met, "the second labelling thread never came");
        Assert.Equal(2, threads.Count);
    }

    [Fact]
    public void With_parallelism_1_the_calling_thread_labels_every_sample()
    {
        using var scope = NewDisposeScope();
        var (inputs, saliency, permutation) = Batch(6, 32, seed: 10);
        var options = new PuzzleMixOptions();
        var costs = PuzzleMixCosts.Compute(inputs, saliency, permutation, PuzzleMixGrid.For(32, 4, options), 0.5, options, Cifar);
        var threads = new ConcurrentBag<int>();
        var samples = new ConcurrentBag<int>();
        PuzzleMixLabelling.Label(costs, parallelism: 1, sample =>
        {
            threads.Add(Environment.CurrentManagedThreadId);
            samples.Add(sample);
        });
        Assert.Equal([Environment.CurrentManagedThreadId], threads.Distinct());
        Assert.Equal(Enumerable.Range(0, 6), samples.Order());
    }

    [Fact]
    public void Labelling_more_samples_allocates_nothing_more_per_sample_than_its_labels()
    {
        using var scope = NewDisposeScope();
        var options = new PuzzleMixOptions();
        var (inputs, saliency, permutation) = Batch(64, 32, seed: 11);
        var grid = PuzzleMixGrid.For(32, 16, options);
        var many = PuzzleMixCosts.Compute(inputs, saliency, permutation, grid, 0.5, options, Cifar);
        var few = PuzzleMixCosts.Compute(inputs[..8], saliency[..8], arange(8L), grid, 0.5, options, Cifar);
        // Warm the pooled labellers' buffers, then count what this thread allocates (parallelism 1 runs here).
        PuzzleMixLabelling.Label(many, parallelism: 1);
        var before = GC.GetAllocatedBytesForCurrentThread();
        PuzzleMixLabelling.Label(few, parallelism: 1);
        var forFew = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        PuzzleMixLabelling.Label(many, parallelism: 1);
        var forMany = GC.GetAllocatedBytesForCurrentThread() - before;
        var labelBytes = (64 - 8) * 256 * sizeof(int);
        Assert.True(forMany - forFew <= labelBytes + 1024, $"8 samples: {forFew} bytes, 64 samples: {forMany} bytes");
    }

    [Fact]
    public void A_saliency_that_sums_to_0_counts_every_block_the_same_instead_of_dividing_by_0()
    {
        using var scope = NewDisposeScope();
        var (inputs, saliency, permutation) = Batch(4, 32, seed: 12);
        saliency[1] = zeros(32, 32);
        var blockSaliency = PuzzleMixCosts.BlockSaliency(saliency, 8);
        Assert.All(Values(blockSaliency[1]), value => Assert.Equal(1f / 16, value));
        // The other samples keep the reference's normalisation.
        var pooled = nn.functional.avg_pool2d(saliency[0].unsqueeze(0), 8);
        Assert.Equal(Values(pooled.div(pooled.sum())), Values(blockSaliency[0].unsqueeze(0)));
        var (mixed, shares) = PuzzleMixImages.Mix(inputs, saliency, permutation, 4, 0.5, new PuzzleMixOptions(), Cifar, parallelism: 2);
        Assert.All(Values(mixed), value => Assert.True(float.IsFinite(value)));
        Assert.All(Values(shares), value => Assert.True(float.IsFinite(value)));
    }

    [Fact]
    public void A_negative_edge_weight_is_clamped_to_0_and_a_large_gamma_still_labels()
    {
        // The reference's weight when the pairwise term stays above -β' ...
        Assert.Equal((int)(16000f * (0.001f + (float)(1.2 / 4 / 16))), PuzzleMixCosts.EdgeWeight(0.001f, 4, 1.2 / 4 / 16));
        // ... and 0, not a negative weight for the graph cut, below it.
        Assert.Equal(0, PuzzleMixCosts.EdgeWeight(-0.05f, 4, 1.2 / 4 / 16));

        // γ = 40: on images whose neighbouring pixels differ more than they differ from the partner's, the pairwise
        // term drops far below -β'.
        using var scope = NewDisposeScope();
        var stripes = arange(32).remainder(2).to_type(ScalarType.Float32).reshape(1, 1, 1, 32).expand(2, 3, 32, 32);
        var inputs = Cifar.Normalize(stack([stripes[0], stripes[1].neg().add(1)]));
        var options = new PuzzleMixOptions(Gamma: 40, NeighbourSize: 1);
        var costs = PuzzleMixCosts.Compute(inputs, ones(2, 32, 32), tensor(new long[] { 1, 0 }), PuzzleMixGrid.For(32, 4, options), 0.5, options, Cifar);
        Assert.Contains(costs.HorizontalPairwise(0).ToArray(), term => term < -2 * costs.BlockBeta);
        var labels = PuzzleMixLabelling.Label(costs, parallelism: 1);
        Assert.All(labels, label => Assert.InRange(label, 0, 2));
    }

    [Fact]
    public void Fashion_MNIST_images_of_28_pixels_mix_with_the_official_settings()
    {
        using var scope = NewDisposeScope();
        var grey = Normalization.FashionMnist;
        var (inputs, saliency, permutation) = Batch(4, 28, seed: 13, grey);
        foreach (var blocks in PuzzleMixImages.BlockCounts(28))
        {
            var (mixed, shares) = PuzzleMixImages.Mix(inputs, saliency, permutation, blocks, 0.5, new PuzzleMixOptions(), grey, parallelism: 2);
            Assert.Equal(inputs.shape, mixed.shape);
            Assert.All(Values(mixed), value => Assert.True(float.IsFinite(value)));
            Assert.All(Values(shares), share => Assert.InRange(share, 0f, 1f));
        }
    }

    [Fact]
    public void Adversarial_noise_moves_the_perturbed_images_and_stays_in_the_pixel_range()
    {
        using var scope = NewDisposeScope();
        var (inputs, saliency, permutation) = Batch(4, 32, seed: 14);
        var options = new PuzzleMixOptions(Transport: false);
        var grid = PuzzleMixGrid.For(32, 2, options);
        var ownOnly = PuzzleMixLabelling.Masks(new int[16], 4, 2, 3, CPU);
        var noise = full([4, 3, 32, 32], 0.5f);
        var (mixed, _) = PuzzleMixImages.MixWithMasks(inputs, saliency, permutation, grid, ownOnly, options, Cifar, noise, perturbOwn: true);
        // Mask 1 everywhere: the own images, plus 0.5 in pixel space, clamped to [0, 1].
        var (mean, std) = (tensor(Cifar.Mean.ToArray(), [1, 3, 1, 1]), tensor(Cifar.Std.ToArray(), [1, 3, 1, 1]));
        var pixels = mixed.mul(std).add(mean);
        var expected = inputs.mul(std).add(mean).add(0.5).clamp(0, 1);
        Assert.Equal(Values(expected), Values(pixels), new FloatTolerance(1e-5f));
    }

    [Fact]
    public void Bad_shapes_are_refused_naming_the_shape()
    {
        using var scope = NewDisposeScope();
        var options = new PuzzleMixOptions();
        var nonSquare = zeros(2, 3, 32, 28);
        var error = Assert.Throws<ArgumentException>(() =>
            PuzzleMixImages.Mix(nonSquare, zeros(2, 32, 28), arange(2L), 2, 0.5, options, Cifar, 1));
        Assert.Contains("[2, 3, 32, 28]", error.Message);

        error = Assert.Throws<ArgumentException>(() =>
            PuzzleMixImages.Mix(zeros(2, 1, 32, 32), zeros(2, 32, 32), arange(2L), 2, 0.5, options, Cifar, 1));
        Assert.Contains("3 channels but the inputs 1", error.Message);

        error = Assert.Throws<ArgumentException>(() =>
            PuzzleMixImages.Mix(zeros(2, 3, 32, 32), zeros(2, 16, 16), arange(2L), 2, 0.5, options, Cifar, 1));
        Assert.Contains("[2, 16, 16]", error.Message);

        error = Assert.Throws<ArgumentException>(() =>
            PuzzleMixImages.Mix(zeros(2, 3, 32, 32), zeros(2, 32, 32), arange(2L), 2, 0.5, options, Cifar, 1, perturbOwn: true));
        Assert.Equal("adversarialNoise", error.ParamName);

        Assert.Throws<ArgumentOutOfRangeException>(() =>
            PuzzleMixImages.Mix(zeros(2, 3, 32, 32), zeros(2, 32, 32), arange(2L), 3, 0.5, options, Cifar, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            PuzzleMixImages.Mix(zeros(2, 3, 32, 32), zeros(2, 32, 32), arange(2L), 2, 1.5, options, Cifar, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            PuzzleMixImages.Mix(zeros(2, 3, 32, 32), zeros(2, 32, 32), arange(2L), 2, 0.5, options, Cifar, 0));
    }

    private sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
