using System.Threading.Channels;
using NfmGen.Data.Augmentation;
using NfmGen.Data.Images;
using TorchSharp;
using static TorchSharp.torch;

namespace NfmGen.Data;

/// <summary>
/// Batches of a dataset for training or evaluation, prepared on a background thread a few batches ahead (on a GPU) or
/// on the consumer's thread when it asks (on the CPU: see <see cref="DefaultPrefetch"/>).
/// Epoch e is a pure function of (seed, e): its order and augmentation are the same on every run and every device,
/// so a run resumed at epoch e, batch b (<see cref="Epoch"/> with <c>skipBatches: b</c>) sees exactly the batches it
/// would have seen. Images become normalised float32 on the device (with augmentation: random crop of the
/// zero-padded image and horizontal flip first); features pass through as they are.
/// </summary>
/// <remarks>
/// The loader does not own the dataset: dispose the dataset after the loader. Each <see cref="Batch"/> is disposed
/// by the loader when the consumer moves on (see <see cref="Batch"/>). Dispose the loader to stop any worker.
/// </remarks>
internal sealed class BatchLoader : IDisposable
{
    private readonly CancellationTokenSource disposed = new();
    private readonly HashSet<Task> workers = [];

    /// <summary>Creates a loader; nothing runs until an epoch is enumerated.</summary>
    /// <param name="dataset">The samples; not owned.</param>
    /// <param name="batchSize">Samples per batch, &gt;= 1.</param>
    /// <param name="shuffle">Whether each epoch visits the samples in a fresh random order (training) or in dataset order.</param>
    /// <param name="augment">Whether to crop and flip at random; only for a dataset that <see cref="LabeledDataset.SupportsAugmentation"/>.</param>
    /// <param name="dropLast">Whether to drop the last, smaller batch of an epoch.</param>
    /// <param name="device">Where batches are built and delivered; default CPU.</param>
    /// <param name="seed">The seed that, with the epoch, fixes the order and augmentation of each epoch.</param>
    /// <param name="prefetch">
    /// How many batches a background worker may prepare ahead, &gt;= 0; 0 prepares each batch on the consumer's
    /// thread when it is asked for. Default: the dataset's choice, <see cref="DefaultPrefetch"/> of the device (an
    /// <see cref="ImageFolderDataset"/> decodes ahead on every device: its <see cref="ImageFolderOptions.Prefetch"/>).
    /// </param>
    /// <param name="augMix">
    /// AugMix's settings, to deliver each batch as its three views (<see cref="AugMixViews"/>), made per sample on CPU
    /// threads (ahead of the step when <paramref name="prefetch"/> is above 0: by default on a GPU, not on the CPU, where a
    /// worker slows the step more than the views cost; docs/performance.md); null for one view. Images only.
    /// </param>
    /// <exception cref="ArgumentException">An argument is out of range, augmentation or AugMix is asked for non-image data, or <paramref name="dropLast"/> leaves no batch.</exception>
    public BatchLoader(LabeledDataset dataset, int batchSize, bool shuffle = false, bool augment = false, bool dropLast = false,
        Device? device = null, long seed = 0, int? prefetch = null, AugMixOptions? augMix = null)
    {
        if (batchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batchSize must be >= 1.");
        if (prefetch < 0)
            throw new ArgumentOutOfRangeException(nameof(prefetch), prefetch, "prefetch must be >= 0.");
        ArgumentNullException.ThrowIfNull(dataset);
        if (augment && !dataset.SupportsAugmentation)
            throw new ArgumentException($"{dataset.Name}: augmentation crops and flips images; its samples of [{string.Join(", ", dataset.InputShape)}] take augment: false.", nameof(augment));

        if (augMix is not null && (dataset.Normalization is null || dataset.InputShape is not [1 or 3, _, _]))
            throw new ArgumentException($"{dataset.Name}: AugMix augments 8-bit images of 1 or 3 channels; its samples of [{string.Join(", ", dataset.InputShape)}] are not", nameof(augMix));
        if (augMix is not null && !dataset.MakesAugMixViews)
            throw new ArgumentException(
                $"{dataset.Name}: AugMix's views are made by the image datasets NfmGen reads (CIFAR, IDX such as Fashion-MNIST, image folders, images in memory); this dataset does not make them", nameof(augMix));
        augMix?.Validate();

        Dataset = dataset;
        BatchSize = batchSize;
        AugMix = augMix;
        Shuffle = shuffle;
        Augment = augment;
        DropLast = dropLast;
        Device = device ?? CPU;
        Seed = seed;
        Prefetch = prefetch ?? dataset.DefaultPrefetch(Device);
        BatchesPerEpoch = checked((int)(dropLast ? dataset.Count / batchSize : (dataset.Count + batchSize - 1) / batchSize));
        if (BatchesPerEpoch == 0)
            throw new ArgumentException($"{dataset.Name} has {dataset.Count} samples: no batch of {batchSize}{(dropLast ? " with dropLast" : "")}.", nameof(batchSize));
    }

    /// <summary>The dataset the batches come from.</summary>
    public LabeledDataset Dataset { get; }

    /// <summary>Samples per batch.</summary>
    public int BatchSize { get; }

    /// <summary>Whether each epoch has its own random order.</summary>
    public bool Shuffle { get; }

    /// <summary>Whether images are cropped and flipped at random.</summary>
    public bool Augment { get; }

    /// <summary>AugMix's settings when batches come as its three views, or null.</summary>
    public AugMixOptions? AugMix { get; }

    /// <summary>Whether the last, smaller batch of an epoch is dropped.</summary>
    public bool DropLast { get; }

    /// <summary>Where batches are built and delivered.</summary>
    public Device Device { get; }

    /// <summary>The seed of the epochs.</summary>
    public long Seed { get; }

    /// <summary>How many batches a background worker prepares ahead; 0: none, each batch is prepared on the consumer's thread.</summary>
    public int Prefetch { get; }

    /// <summary>The number of batches in each epoch.</summary>
    public int BatchesPerEpoch { get; }

    /// <summary>
    /// Whether image batches are left as uint8 pixels <c>[B, C, H, W]</c>, not normalised (default: normalised float32).
    /// For evaluations that perturb the pixels before normalising them (<see cref="Robustness.RobustnessEvaluator"/>).
    /// </summary>
    internal bool Pixels { get; init; }

    /// <summary>
    /// How many batches to prepare ahead on <paramref name="device"/>: 3 on a GPU, whose steps run asynchronously while
    /// the CPU prepares the next batches; 0 on the CPU. There a worker would compete with the step's own threads for
    /// the same cores, and its allocations, made while the step allocates, fragment the native heap so that the
    /// resident size keeps growing (docs/performance.md); preparing a batch takes about 1% of a step.
    /// </summary>
    public static int DefaultPrefetch(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return device.type == DeviceType.CPU ? 0 : 3;
    }

    /// <summary>
    /// The batches of epoch <paramref name="epoch"/>, from batch <paramref name="skipBatches"/> on, produced by a
    /// background worker that starts when enumeration starts and stops when it ends (or, with no prefetch, on the
    /// consumer's thread). Enumerate with <c>foreach</c>: leaving the loop stops the worker and frees the batches it prepared.
    /// </summary>
    /// <param name="epoch">The epoch, &gt;= 0.</param>
    /// <param name="skipBatches">How many leading batches to skip, without preparing them (to resume mid-epoch).</param>
    /// <param name="cancellationToken">Stops the epoch; the enumeration then throws <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">The epoch or skip is out of range.</exception>
    /// <exception cref="ObjectDisposedException">The loader was disposed (also thrown by an enumeration in progress).</exception>
    /// <remarks>An exception on the worker is rethrown to the consumer by the enumeration.</remarks>
    public IEnumerable<Batch> Epoch(int epoch, int skipBatches = 0, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(this.disposed.IsCancellationRequested, this);
        if (epoch < 0)
            throw new ArgumentOutOfRangeException(nameof(epoch), epoch, "epoch must be >= 0.");
        if (skipBatches < 0 || skipBatches > BatchesPerEpoch)
            throw new ArgumentOutOfRangeException(nameof(skipBatches), skipBatches, $"skipBatches must be in 0..{BatchesPerEpoch} (the batches per epoch).");
        return Prefetch == 0 ? Inline(epoch, skipBatches, cancellationToken) : Stream(epoch, skipBatches, cancellationToken);
    }

    private IEnumerable<Batch> Inline(int epoch, int skipBatches, CancellationToken cancellationToken)
    {
        using var plan = CreatePlan(epoch);
        for (var b = skipBatches; b < BatchesPerEpoch; b++)
        {
            ObjectDisposedException.ThrowIf(this.disposed.IsCancellationRequested, this);
            cancellationToken.ThrowIfCancellationRequested();
            using var batch = Assemble(plan, epoch, b); // freed when the consumer asks for the next one or stops
            yield return batch;
        }
    }

    private IEnumerable<Batch> Stream(int epoch, int skipBatches, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, this.disposed.Token);
        var channel = Channel.CreateBounded<Batch>(new BoundedChannelOptions(Prefetch) { SingleReader = true, SingleWriter = true });
        var worker = StartWorker(() => Produce(epoch, skipBatches, channel.Writer, stop.Token));
        Batch? current = null;
        try
        {
            while (true)
            {
                // Freed before the next is taken: at most the queue, the worker's batch in progress and this one are alive.
                current?.Dispose();
                current = null;
                if (!NextBatch(channel.Reader, stop.Token, cancellationToken, out var batch))
                    break;
                current = batch;
                yield return batch;
            }
        }
        finally
        {
            current?.Dispose();
            stop.Cancel();
            worker.Wait(); // Produce catches everything, so this only waits; at most one batch in progress
            lock (workers)
                workers.Remove(worker);
            while (channel.Reader.TryRead(out var unread))
                unread.Dispose();
        }
    }

    /// <summary>
    /// Takes the next prepared batch, waiting for the worker if none is ready; false at the end of the epoch.
    /// Stops at once on cancellation or disposal, even with batches waiting, and rethrows the worker's exception
    /// (the worker completes the channel with it, and WaitToReadAsync throws it) after the batches before it.
    /// </summary>
    private bool NextBatch(ChannelReader<Batch> reader, CancellationToken stop, CancellationToken cancellationToken, out Batch batch)
    {
        while (true)
        {
            ObjectDisposedException.ThrowIf(this.disposed.IsCancellationRequested, this);
            cancellationToken.ThrowIfCancellationRequested();
            if (reader.TryRead(out batch!))
                return true;
            try
            {
                if (!reader.WaitToReadAsync(stop).AsTask().GetAwaiter().GetResult())
                    return false;
            }
            catch (OperationCanceledException) when (this.disposed.IsCancellationRequested)
            {
                ObjectDisposedException.ThrowIf(true, this);
            }
        }
    }

    private Task StartWorker(Action produce)
    {
        lock (workers)
        {
            ObjectDisposedException.ThrowIf(this.disposed.IsCancellationRequested, this);
            // A dedicated thread: TorchSharp's dispose scopes are per thread, and the worker holds none across batches.
            var worker = Task.Factory.StartNew(produce, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            workers.Add(worker);
            return worker;
        }
    }

    private void Produce(int epoch, int skipBatches, ChannelWriter<Batch> writer, CancellationToken stop)
    {
        try
        {
            using var plan = CreatePlan(epoch);
            for (var b = skipBatches; b < BatchesPerEpoch; b++)
            {
                stop.ThrowIfCancellationRequested();
                var batch = Assemble(plan, epoch, b);
                try
                {
                    writer.WriteAsync(batch, stop).AsTask().GetAwaiter().GetResult();
                }
                catch
                {
                    batch.Dispose();
                    throw;
                }
            }

            writer.TryComplete();
        }
        catch (Exception e)
        {
            writer.TryComplete(e);
        }
    }

    private EpochPlan CreatePlan(int epoch) => EpochPlan.Create(Dataset.Count, Seed, epoch, Shuffle, Augment && Dataset.PlansCrops);

    private Batch Assemble(EpochPlan plan, int epoch, int index)
    {
        long start = (long)index * BatchSize;
        return Dataset.Assemble(plan, start, Math.Min(BatchSize, Dataset.Count - start), index, new GatherRequest(Device, Augment, Seed, epoch, Pixels) { AugMix = AugMix });
    }

    /// <summary>Stops every running worker and waits for it; enumerations in progress throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        Task[] running;
        lock (workers)
        {
            if (this.disposed.IsCancellationRequested)
                return;
            this.disposed.Cancel();
            running = [.. workers];
        }

        Task.WaitAll(running);
    }
}
