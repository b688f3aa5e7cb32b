using NfmGen.Data.Images;
using TorchSharp;
using static TorchSharp.torch;

namespace NfmGen.Data;

/// <summary>Builds one batch from an epoch plan: gathers the samples, moves them to the device, augments and normalises there.</summary>
internal static class BatchAssembler
{
    /// <summary>
    /// The batch at positions <c>start .. start+length-1</c> of the epoch. Its tensors are detached from every
    /// dispose scope (the worker thread has none of its own); the receiver of the <see cref="Batch"/> owns them.
    /// With <paramref name="normalize"/> false, image inputs stay uint8 pixels as decoded (for evaluations that perturb pixels).
    /// </summary>
    public static Batch Assemble(LabeledDataset dataset, EpochPlan plan, long start, long length, Device device, int epoch, int index,
        bool augment = false, long seed = 0, bool normalize = true)
    {
        if (dataset is ImageFolderDataset folder)
            return FolderBatch(folder, plan, start, length, device, epoch, index, augment, seed, normalize);
        using var scope = NewDisposeScope();
        var positions = plan.Order.narrow(0, start, length);
        var labels = dataset.Labels.index_select(0, positions.to(dataset.Labels.device)).to(device);
        var inputs = dataset switch
        {
            ImageDataset images => ImageInputs(images, positions, plan, start, length, device, normalize),
            FeatureDataset features => features.Features.index_select(0, positions.to(features.Features.device)).to(device),
            _ => throw new NotSupportedException($"{dataset.Name}: no batching for {dataset.GetType().Name}; accepted: ImageDataset, ImageFolderDataset, FeatureDataset."),
        };
        var indices = positions.to(device);
        scope.Detach(inputs, labels, indices);
        return new Batch(inputs, labels, indices, epoch, index);
    }

    private static Tensor ImageInputs(ImageDataset dataset, Tensor positions, EpochPlan plan, long start, long length, Device device, bool normalize)
    {
        // Gather and move the uint8 pixels (4x less to copy than float), then do the pixel work on the device.
        var pixels = dataset.Images.index_select(0, positions.to(dataset.Images.device)).to(device);
        if (plan.Offsets is not null && plan.Flips is not null)
            pixels = CropAndFlip.Apply(pixels, plan.Offsets.narrow(0, start, length), plan.Flips.narrow(0, start, length));
        return normalize ? dataset.Normalization.Normalize(pixels) : pixels;
    }

    // Files are decoded and transformed on the dataset's worker threads (a sample's crop and flip drawn from its own
    // (seed, epoch, index)), then normalised on the device as the in-memory images are.
    private static Batch FolderBatch(ImageFolderDataset dataset, EpochPlan plan, long start, long length, Device device, int epoch, int index, bool augment, long seed,
        bool normalize)
    {
        var positions = new long[length];
        using (var slice = plan.Order.narrow(0, start, length)) // the worker thread has no dispose scope: free the view now
            slice.data<long>().CopyTo(positions, 0);
        var loaded = dataset.Load(positions, augment, seed, epoch);
        if (loaded.Labels.Length == 0)
            throw new InvalidDataException($"{dataset.Name}: every image of batch {index} of epoch {epoch} is bad ({loaded.Skipped} skipped); nothing to train or evaluate on");
        using var scope = NewDisposeScope();
        long[] shape = [loaded.Labels.Length, .. dataset.ImageShape];
        var inputs = !normalize ? tensor(loaded.Pixels, shape).to(device)
            : device.type == DeviceType.CPU ? tensor(NormalizedOnWorkers(dataset, loaded.Pixels), shape)
            : dataset.Normalization.Normalize(tensor(loaded.Pixels, shape).to(device)); // a GPU: move the 4x smaller bytes, normalise there
        var labels = tensor(loaded.Labels).to(device);
        var indices = tensor(loaded.Indices).to(device);
        scope.Detach(inputs, labels, indices);
        return new Batch(inputs, labels, indices, epoch, index, loaded.Skipped, dataset.DecodedBatches.Add());
    }

    // The normalised floats by table lookup (the same values as Normalization.Normalize), sample by sample on the dataset's workers.
    private static float[] NormalizedOnWorkers(ImageFolderDataset dataset, byte[] pixels)
    {
        var table = dataset.Normalization.ByteTable();
        var plane = dataset.Options.ImageSize * dataset.Options.ImageSize;
        var sample = dataset.Options.Channels * plane;
        var floats = new float[pixels.Length];
        Parallel.For(0, pixels.Length / sample, new ParallelOptions { MaxDegreeOfParallelism = dataset.Options.Workers }, s =>
        {
            for (var c = 0; c < dataset.Options.Channels; c++)
            {
                var start = s * sample + c * plane;
                var channel = table.AsSpan(c * 256, 256);
                for (var i = start; i < start + plane; i++)
                    floats[i] = channel[pixels[i]];
            }
        });
        return floats;
    }
}
