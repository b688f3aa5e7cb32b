using NfmGen.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace NfmGen.Tests.Data;

/// <summary>Batches: every sample once per epoch, a pure function of (seed, epoch), augmentation as the recipe, and a worker (or the consumer's thread) that stops and reports.</summary>
public sealed class BatchLoaderTests
{
    private const int Padding = CropAndFlip.DefaultPadding;

    /// <summary>A small image dataset: pixels 1..255 (so zero padding shows), labels = index mod 3.</summary>
    private static ImageDataset Images(int count = 23, int side = 6)
    {
        using var scope = NewDisposeScope();
        using var generator = new torch.Generator(5);
        var pixels = randint(1, 256, [count, 3, side, side], ScalarType.Int64, generator: generator).to_type(ScalarType.Byte);
        return new ImageDataset("tiny", pixels, arange(count, ScalarType.Int64) % 3, classCount: 3, Normalization.Cifar10);
    }

    private static List<(Tensor Inputs, Tensor Labels, Tensor Indices)> Collect(BatchLoader loader, int epoch, int skip = 0) =>
        loader.Epoch(epoch, skip).Select(b => (b.Inputs.clone(), b.Labels.clone(), b.Indices.clone())).ToList();

    private static bool SameBatches(List<(Tensor Inputs, Tensor Labels, Tensor Indices)> a, List<(Tensor Inputs, Tensor Labels, Tensor Indices)> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.Inputs.Identical(p.Second.Inputs) && p.First.Labels.Identical(p.Second.Labels) && p.First.Indices.Identical(p.Second.Indices));

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void Every_sample_comes_exactly_once_per_epoch_with_its_label(int prefetch)
    {
        using var scope = NewDisposeScope();
        using var data = Images(count: 23);
        using var loader = new BatchLoader(data, batchSize: 5, shuffle: true, augment: true, seed: 1, prefetch: prefetch);

        var batches = Collect(loader, epoch: 0);

        Assert.Equal(5, loader.BatchesPerEpoch);
        Assert.Equal(new long[] { 5, 5, 5, 5, 3 }, batches.Select(b => b.Labels.shape[0]));
        var indices = cat(batches.Select(b => b.Indices).ToList());
        Assert.True(indices.sort().Values.Identical(arange(23, ScalarType.Int64)));
        Assert.False(indices.Identical(arange(23, ScalarType.Int64)), "shuffled");
        Assert.True(cat(batches.Select(b => b.Labels).ToList()).Identical(data.Labels.index_select(0, indices)));
    }

    [Fact]
    public void Drop_last_drops_the_short_batch()
    {
        using var scope = NewDisposeScope();
        using var data = Images(count: 23);
        using var loader = new BatchLoader(data, batchSize: 5, dropLast: true);

        Assert.Equal(4, loader.BatchesPerEpoch);
        Assert.All(Collect(loader, 0), b => Assert.Equal(5, b.Labels.shape[0]));
    }

    [Fact]
    public void Evaluation_batches_are_the_normalised_pixels_in_dataset_order()
    {
        using var scope = NewDisposeScope();
        using var data = Images(count: 7);
        using var loader = new BatchLoader(data, batchSize: 4);

        var batches = Collect(loader, epoch: 3);

        var inputs = cat(batches.Select(b => b.Inputs).ToList());
        Assert.Equal(ScalarType.Float32, inputs.dtype);
        Assert.True(cat(batches.Select(b => b.Indices).ToList()).Identical(arange(7, ScalarType.Int64)));
        var mean = tensor(new[] { 0.4914f, 0.4822f, 0.4465f }).view(1, 3, 1, 1);
        var std = tensor(new[] { 0.2023f, 0.1994f, 0.2010f }).view(1, 3, 1, 1);
        Assert.True(inputs.allclose((data.Images.to_type(ScalarType.Float32) / 255 - mean) / std, rtol: 1e-6, atol: 1e-6));
    }

    [Fact]
    public void Each_augmented_sample_is_a_crop_of_its_padded_image_possibly_mirrored_and_the_choices_vary()
    {
        using var scope = NewDisposeScope();
        using var data = Images(count: 40);
        using var loader = new BatchLoader(data, batchSize: 16, shuffle: true, augment: true, seed: 9);

        // Every crop-and-flip of every image, normalised: [N, 2 flips * 9 * 9 offsets, C, H, W].
        var choices = (from flip in new[] { false, true } from top in Enumerable.Range(0, 2 * Padding + 1) from left in Enumerable.Range(0, 2 * Padding + 1) select (flip, top, left)).ToList();
        var all = stack(choices.Select(c => data.Normalization.Normalize(CropAndFlip.Apply(
            data.Images, tensor(new long[] { c.top, c.left }).expand(40, 2), full(40, c.flip, ScalarType.Bool)))).ToList(), dim: 1);

        var chosen = new HashSet<int>();
        foreach (var (inputs, _, indices) in Collect(loader, epoch: 2))
        {
            var candidates = all.index_select(0, indices);                                  // [B, choices, C, H, W]
            var matches = candidates.eq(inputs.unsqueeze(1)).flatten(2).all(2);            // [B, choices]
            Assert.True(matches.any(1).all().item<bool>(), "a sample is no crop-and-flip of its image");
            foreach (var choice in matches.to_type(ScalarType.Int64).argmax(1).data<long>().ToArray())
                chosen.Add((int)choice);
        }

        Assert.True(chosen.Count > 20, $"only {chosen.Count} distinct crops and flips over 40 samples");
        Assert.Contains(chosen, c => choices[c].flip);
        Assert.Contains(chosen, c => !choices[c].flip);
    }

    [Fact]
    public void The_same_seed_and_epoch_give_the_same_batches_and_other_epochs_or_seeds_differ()
    {
        using var scope = NewDisposeScope();
        using var data = Images();
        using var loader = new BatchLoader(data, batchSize: 4, shuffle: true, augment: true, seed: 7);
        using var twin = new BatchLoader(data, batchSize: 4, shuffle: true, augment: true, seed: 7);
        using var other = new BatchLoader(data, batchSize: 4, shuffle: true, augment: true, seed: 8);

        var epoch1 = Collect(loader, 1);

        Assert.True(SameBatches(epoch1, Collect(twin, 1)));
        Assert.True(SameBatches(epoch1, Collect(loader, 1)), "an epoch replayed is the same epoch");
        Assert.False(epoch1[0].Indices.Identical(Collect(loader, 2)[0].Indices), "epoch 2 has its own order");
        Assert.False(epoch1[0].Indices.Identical(Collect(other, 1)[0].Indices), "seed 8 has its own order");
    }

    [Fact]
    public void Batches_prepared_ahead_by_a_worker_equal_those_prepared_on_the_consumers_thread()
    {
        using var scope = NewDisposeScope();
        using var data = Images();
        using var inline = new BatchLoader(data, batchSize: 4, shuffle: true, augment: true, seed: 7, prefetch: 0);
        using var worker = new BatchLoader(data, batchSize: 4, shuffle: true, augment: true, seed: 7, prefetch: 2);

        Assert.True(SameBatches(Collect(inline, 1), Collect(worker, 1)));
    }

    [Fact]
    public void By_default_CPU_batches_are_prepared_on_the_consumers_thread_and_GPU_batches_ahead()
    {
        using var data = Images();
        using var loader = new BatchLoader(data, batchSize: 4);

        Assert.Equal(0, loader.Prefetch);
        Assert.Equal(0, BatchLoader.DefaultPrefetch(CPU));
        Assert.Equal(3, BatchLoader.DefaultPrefetch(new Device(DeviceType.CUDA, 0)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void Skipping_b_batches_gives_the_tail_of_the_full_epoch(int prefetch)
    {
        using var scope = NewDisposeScope();
        using var data = Images(count: 23);
        using var loader = new BatchLoader(data, batchSize: 4, shuffle: true, augment: true, seed: 3, prefetch: prefetch);

        var full = Collect(loader, 4);
        var tail = Collect(loader, 4, skip: 2);

        Assert.True(SameBatches(full.Skip(2).ToList(), tail));
        Assert.Empty(Collect(loader, 4, skip: loader.BatchesPerEpoch));
    }

    [Fact]
    public void Feature_batches_pass_the_features_through()
    {
        using var scope = NewDisposeScope();
        using var data = ToyDatasets.TwoMoons(30, jitter: 0.1, labelNoise: 0.1, seed: 2);
        using var loader = new BatchLoader(data, batchSize: 8, shuffle: true, seed: 2);

        foreach (var (inputs, labels, indices) in Collect(loader, 0))
        {
            Assert.True(inputs.Identical(data.Features.index_select(0, indices)));
            Assert.True(labels.Identical(data.Labels.index_select(0, indices)));
        }

        var error = Assert.Throws<ArgumentException>(() => new BatchLoader(data, 8, augment: true));
        Assert.StartsWith("two-moons: augmentation crops and flips images; its samples of [2] take augment: false.", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void A_batch_is_freed_when_the_consumer_moves_on_and_belongs_to_no_consumer_scope(int prefetch)
    {
        using var data = Images();
        using var loader = new BatchLoader(data, batchSize: 4, prefetch: prefetch);
        using var scope = NewDisposeScope();
        var seen = new List<Batch>();

        foreach (var batch in loader.Epoch(0))
        {
            Assert.False(scope.Contains(batch.Inputs) || scope.Contains(batch.Labels), "batch tensors joined the consumer's scope");
            Assert.All(seen, previous => Assert.Throws<ObjectDisposedException>(() => previous.Inputs));
            seen.Add(batch);
        }

        Assert.Throws<ObjectDisposedException>(() => seen[^1].Inputs); // the last batch is freed when the loop ends
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void A_worker_exception_reaches_the_consumer(int prefetch)
    {
        using var data = Images();
        using var loader = new BatchLoader(data, batchSize: 4, prefetch: prefetch);
        data.Images.Dispose(); // the worker's first gather fails

        Assert.Throws<InvalidOperationException>(() => loader.Epoch(0).ToList());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void Cancellation_stops_the_epoch(int prefetch)
    {
        using var data = Images(count: 40);
        using var loader = new BatchLoader(data, batchSize: 2, prefetch: prefetch);
        using var cancel = new CancellationTokenSource();

        var delivered = 0;
        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            foreach (var batch in loader.Epoch(0, cancellationToken: cancel.Token))
            {
                delivered++;
                cancel.Cancel();
            }
        });
        Assert.Equal(1, delivered);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void Disposing_the_loader_stops_the_epoch_in_progress_and_later_epochs(int prefetch)
    {
        using var data = Images(count: 40);
        var loader = new BatchLoader(data, batchSize: 2, prefetch: prefetch);

        using var batches = loader.Epoch(0).GetEnumerator();
        Assert.True(batches.MoveNext());
        loader.Dispose();

        Assert.Throws<ObjectDisposedException>(() => batches.MoveNext());
        Assert.Throws<ObjectDisposedException>(() => loader.Epoch(1));
    }

    [Fact]
    public void Bad_arguments_name_the_value_and_the_range()
    {
        using var data = Images(count: 3);

        Assert.Contains("batchSize must be >= 1", Assert.Throws<ArgumentOutOfRangeException>(() => new BatchLoader(data, 0)).Message);
        Assert.Contains("prefetch must be >= 0", Assert.Throws<ArgumentOutOfRangeException>(() => new BatchLoader(data, 2, prefetch: -1)).Message);
        Assert.StartsWith("tiny has 3 samples: no batch of 4 with dropLast.", Assert.Throws<ArgumentException>(() => new BatchLoader(data, 4, dropLast: true)).Message);
        using var loader = new BatchLoader(data, 2);
        Assert.StartsWith("skipBatches must be in 0..2", Assert.Throws<ArgumentOutOfRangeException>(() => loader.Epoch(0, skipBatches: 3)).Message);
        Assert.StartsWith("epoch must be >= 0", Assert.Throws<ArgumentOutOfRangeException>(() => loader.Epoch(-1)).Message);
    }
}
