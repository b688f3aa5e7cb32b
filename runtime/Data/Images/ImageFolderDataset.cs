using NfmGen.Data.Augmentation;
using TorchSharp;
using static TorchSharp.torch;

namespace NfmGen.Data.Images;

/// <summary>
/// A classification dataset of image files in torchvision's <c>ImageFolder</c> layout (<see cref="ImageFolderIndex"/>),
/// read as the trainer and <see cref="Training.Evaluation"/> ask for batches: only the labels are in memory. A
/// <see cref="BatchLoader"/> over it decodes each batch with <see cref="ImageFolderOptions.Workers"/> threads on a
/// background worker and keeps at most <see cref="ImageFolderOptions.Prefetch"/> finished batches in a bounded queue,
/// so memory does not grow with the folder. With augmentation a sample gets the training transform (random resized
/// crop and flip drawn from (seed, epoch, dataset index)), otherwise the evaluation transform (<see cref="ImageTransform"/>).
/// </summary>
internal sealed class ImageFolderDataset : LabeledDataset
{
    /// <summary>Creates a dataset over <paramref name="index"/>'s files.</summary>
    /// <param name="name">The dataset's name, for messages and the run, e.g. <c>folder-train</c>.</param>
    /// <param name="index">The files and their labels.</param>
    /// <param name="options">Image size, channels, normalisation, workers, queue length, bad-image policy; default: ImageNet's 224, RGB.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    internal ImageFolderDataset(string name, ImageFolderIndex index, ImageFolderOptions? options = null)
        : base(name, LabelsOf(index), index.ClassNames.Count)
    {
        Options = options ?? new ImageFolderOptions();
        Options.Validate();
        Index = index;
        EvaluationTransform = ImageTransform.Evaluation(Options.ImageSize, Options.EffectiveNormalization, Options.Channels, Options.MaxImagePixels);
        TrainingTransform = ImageTransform.Training(Options.ImageSize, Options.EffectiveNormalization, Options.Channels, Options.MaxImagePixels);
    }

    /// <summary>Scans <paramref name="root"/> (see <see cref="ImageFolderIndex.Scan"/>) and creates the dataset.</summary>
    /// <param name="root">The folder whose subfolders are the classes.</param>
    /// <param name="options">See the constructor.</param>
    /// <param name="classNames">The training classes, for a validation folder; null for a training folder.</param>
    /// <param name="name">The dataset's name; default the folder's name.</param>
    /// <exception cref="InvalidDataException">The folder's layout is refused; the message names the folder.</exception>
    public static ImageFolderDataset Open(string root, ImageFolderOptions? options = null, IReadOnlyList<string>? classNames = null, string? name = null)
    {
        var index = ImageFolderIndex.Scan(root, classNames);
        return new ImageFolderDataset(name ?? Path.GetFileName(index.Root), index, options);
    }

    /// <summary>The files and class names.</summary>
    internal ImageFolderIndex Index { get; }

    /// <summary>The class names, sorted ordinally; label i is <c>ClassNames[i]</c>.</summary>
    public IReadOnlyList<string> ClassNames => Index.ClassNames;

    /// <summary>The options.</summary>
    public ImageFolderOptions Options { get; }

    /// <summary>The normalisation of the inputs.</summary>
    public override Normalization Normalization => EvaluationTransform.Normalization;

    /// <summary>The shape of one input, <c>[C, size, size]</c>.</summary>
    public override long[] InputShape => [Options.Channels, Options.ImageSize, Options.ImageSize];

    /// <inheritdoc/>
    public override bool SupportsAugmentation => true;

    /// <summary>The transform of evaluation batches (no augmentation).</summary>
    internal ImageTransform EvaluationTransform { get; }

    /// <summary>The transform of training batches (with augmentation).</summary>
    internal ImageTransform TrainingTransform { get; }

    /// <summary>What a run trained on this dataset keeps for prediction, and to check on resuming that the folder is unchanged.</summary>
    public override ImageSettings Settings =>
        new(ClassNames, Options.ImageSize, Options.Channels, Normalization.Mean, Normalization.Std, Index.Files.Count, Index.PathsHash);

    /// <summary>The most bytes <see cref="Materialize"/> decodes into memory by default: 1 GiB.</summary>
    public const long DefaultMaterializeLimit = 1L << 30;

    /// <summary>
    /// The whole dataset decoded with the evaluation transform into memory, uint8 <c>[N, C, size, size]</c>, for a
    /// caller that needs random access to every image: N x C x size² bytes. Evaluation does not need it: a
    /// <see cref="BatchLoader"/> streams the folder with memory bounded by its queue (as <c>nfm eval</c> does).
    /// </summary>
    /// <param name="maxBytes">The most bytes the pixels may take; a larger folder is refused.</param>
    /// <exception cref="InvalidOperationException">The pixels would take more than <paramref name="maxBytes"/>, or more than one array holds (about 2 GiB); the message says how much.</exception>
    /// <exception cref="BadImageException">A bad image, unless <see cref="ImageFolderOptions.SkipBadImages"/> (then it is left out).</exception>
    public ImageDataset Materialize(long maxBytes = DefaultMaterializeLimit)
    {
        var bytes = Count * Options.Channels * Options.ImageSize * Options.ImageSize;
        if (bytes > maxBytes)
            throw new InvalidOperationException(
                $"{Name}: {Count} images of [{string.Join(", ", InputShape)}] would take {Bytes(bytes)} in memory, over the limit of "
                + $"{Bytes(maxBytes)}; stream the folder through a BatchLoader instead (memory bounded by its queue)");
        if (bytes > Array.MaxLength)
            throw new InvalidOperationException(
                $"{Name}: {Count} images of [{string.Join(", ", InputShape)}] would take {Bytes(bytes)}, over the {Bytes(Array.MaxLength)} one .NET array can hold; "
                + "stream the folder through a BatchLoader instead (memory bounded by its queue)");
        var all = Enumerable.Range(0, checked((int)Count)).Select(i => (long)i).ToArray();
        var loaded = Load(all, augment: false, seed: 0, epoch: 0);
        using var scope = NewDisposeScope();
        var images = tensor(loaded.Pixels, [loaded.Labels.Length, .. InputShape]);
        var labels = tensor(loaded.Labels);
        scope.Detach(images, labels);
        return new ImageDataset(Name, images, labels, ClassCount, Normalization);
    }

    private static string Bytes(long bytes) =>
        bytes >= 1L << 20 ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{bytes / 1048576.0:F0} MiB") : $"{bytes} bytes";

    /// <summary>The batches decoded from this folder that are still alive: at most the loader's queue, its worker's batch and the consumer's.</summary>
    internal LiveBatchCounter DecodedBatches { get; } = new();

    /// <summary>
    /// Decodes and transforms the samples <paramref name="indices"/> on <see cref="ImageFolderOptions.Workers"/>
    /// threads: each sample's crop and flip depend only on (<paramref name="seed"/>, <paramref name="epoch"/>, its index),
    /// so the result does not depend on the number of workers. Bad images are skipped (and counted) when the options say so.
    /// </summary>
    internal LoadedSamples Load(long[] indices, bool augment, long seed, int epoch)
    {
        var transform = augment ? TrainingTransform : EvaluationTransform;
        var sampleBytes = Options.Channels * Options.ImageSize * Options.ImageSize;
        var pixels = new byte[(long)indices.Length * sampleBytes];
        var errors = new Exception?[indices.Length];
        var bad = new bool[indices.Length];
        try
        {
            Parallel.For(0, indices.Length, new ParallelOptions { MaxDegreeOfParallelism = Options.Workers }, i =>
            {
                try
                {
                    transform.Load(Index.Files[(int)indices[i]].Path, seed, epoch, indices[i], Sample(pixels, i, sampleBytes));
                }
                catch (BadImageException) when (Options.SkipBadImages)
                {
                    bad[i] = true;
                }
                catch (Exception error)
                {
                    errors[i] = error;
                }
            });
        }
        catch (AggregateException error)
        {
            // Parallel.For itself failed (not a sample: those are caught above).
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error.InnerExceptions[0]).Throw();
        }
        // The lowest-index failure, as itself (its message names the file): the same file whatever the threads' timing.
        if (errors.FirstOrDefault(error => error is not null) is { } first)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();

        var skipped = bad.Count(b => b);
        var kept = Enumerable.Range(0, indices.Length).Where(i => !bad[i]).ToArray();
        if (skipped > 0)
        {
            var compact = new byte[(long)kept.Length * sampleBytes];
            for (var k = 0; k < kept.Length; k++)
                Sample(pixels, kept[k], sampleBytes).CopyTo(Sample(compact, k, sampleBytes));
            pixels = compact;
        }
        return new LoadedSamples(
            pixels, kept.Select(i => (long)Index.Files[(int)indices[i]].Label).ToArray(), kept.Select(i => indices[i]).ToArray(), skipped);
    }

    // Sample i's bytes; the offset in long, as a Materialize of over 2 GiB has offsets past int.MaxValue.
    private static Span<byte> Sample(byte[] pixels, int i, int sampleBytes) => pixels.AsSpan().Slice(checked((int)((long)i * sampleBytes)), sampleBytes);

    /// <inheritdoc/>
    /// <remarks>With <see cref="ImageFolderOptions.SkipBadImages"/>, a bad file's row is left out (the loader counts it in <see cref="Batch.Skipped"/>).</remarks>
    protected internal override Tensor Gather(Tensor indices, GatherRequest request)
    {
        using var batch = Assemble(indices.data<long>().ToArray(), 0, request);
        return batch.Inputs.alias();
    }

    internal override int DefaultPrefetch(Device device) => Options.Prefetch; // decoding, not the copy, is the cost: ahead on every device

    internal override bool MakesAugMixViews => true;

    internal override string? ResumeMismatch(ImageSettings? stored) => stored?.TrainingFolderMismatch(Index);

    // Files are decoded and transformed on the dataset's worker threads (a sample's crop and flip drawn from its own
    // (seed, epoch, index)), then normalised on the device as the in-memory images are; bad files skipped, when asked, are counted.
    internal override Batch Assemble(EpochPlan plan, long start, long length, int index, GatherRequest request)
    {
        var positions = new long[length];
        using (var slice = plan.Order.narrow(0, start, length)) // the worker thread has no dispose scope: free the view now
            slice.data<long>().CopyTo(positions, 0);
        return Assemble(positions, index, request);
    }

    private Batch Assemble(long[] positions, int index, GatherRequest request)
    {
        var loaded = Load(positions, request.Augment, request.Seed, request.Epoch);
        if (loaded.Labels.Length == 0)
            throw new InvalidDataException($"{Name}: every image of batch {index} of epoch {request.Epoch} is bad ({loaded.Skipped} skipped); nothing to train or evaluate on");
        using var scope = NewDisposeScope();
        long[] shape = [loaded.Labels.Length, .. InputShape];
        var device = request.Device;
        var inputs = request.AugMix is { } augMix
            ? new AugMixViews(augMix, new PlanarImage(Options.Channels, Options.ImageSize, Options.ImageSize), Normalization).Inputs(loaded.Pixels, loaded.Indices, request, Options.Workers)
            : request.Pixels ? tensor(loaded.Pixels, shape).to(device)
            : device.type == DeviceType.CPU ? tensor(NormalizedOnWorkers(loaded.Pixels), shape)
            : Normalization.Normalize(tensor(loaded.Pixels, shape).to(device)); // a GPU: move the 4x smaller bytes, normalise there
        var labels = tensor(loaded.Labels).to(device);
        var indices = tensor(loaded.Indices).to(device);
        scope.Detach(inputs, labels, indices);
        return new Batch(inputs, labels, indices, request.Epoch, index, loaded.Skipped, DecodedBatches.Add());
    }

    // The normalised floats by table lookup (the same values as Normalization.Normalize), sample by sample on the workers.
    private float[] NormalizedOnWorkers(byte[] pixels)
    {
        var table = Normalization.ByteTable();
        var plane = Options.ImageSize * Options.ImageSize;
        var sample = Options.Channels * plane;
        var floats = new float[pixels.Length];
        Parallel.For(0, pixels.Length / sample, new ParallelOptions { MaxDegreeOfParallelism = Options.Workers }, s =>
        {
            for (var c = 0; c < Options.Channels; c++)
            {
                var start = s * sample + c * plane;
                var channel = table.AsSpan(c * 256, 256);
                for (var i = start; i < start + plane; i++)
                    floats[i] = channel[pixels[i]];
            }
        });
        return floats;
    }

    private static Tensor LabelsOf(ImageFolderIndex index)
    {
        ArgumentNullException.ThrowIfNull(index);
        return tensor(index.Files.Select(file => (long)file.Label).ToArray());
    }
}

/// <summary>Samples decoded for one batch: uint8 pixels <c>[N, C, S, S]</c>, their labels and dataset indices, and how many bad images were left out.</summary>
internal sealed record LoadedSamples(byte[] Pixels, long[] Labels, long[] Indices, int Skipped);
