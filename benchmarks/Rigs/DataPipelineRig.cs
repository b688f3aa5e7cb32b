using NfmGen.Data;

namespace NfmGen.Benchmarks.Rigs;

/// <summary>The training data path: a shuffled, augmented (crop and flip), normalised epoch of a CIFAR-shaped in-memory dataset.</summary>
public sealed class DataPipelineRig : IDisposable
{
    private readonly LabeledDataset dataset;
    private readonly BatchLoader loader;
    private int epoch;

    /// <summary>A dataset of <paramref name="images"/> random 3x32x32 images, batched by <paramref name="batch"/> with augmentation.</summary>
    public DataPipelineRig(int images = 10_240, int batch = 128)
    {
        this.dataset = SyntheticData.Images(images);
        this.loader = new BatchLoader(this.dataset, batch, shuffle: true, augment: true, dropLast: true, seed: 3);
    }

    /// <summary>Images in one epoch.</summary>
    public long ImagesPerEpoch => (long)this.loader.BatchesPerEpoch * this.loader.BatchSize;

    /// <summary>Reads one whole epoch (a new one each call) and returns the images delivered.</summary>
    public long Epoch()
    {
        long images = 0;
        foreach (var batch in this.loader.Epoch(this.epoch++))
            images += batch.Size;
        return images;
    }

    /// <summary>Stops the loader and frees the dataset.</summary>
    public void Dispose()
    {
        this.loader.Dispose();
        this.dataset.Dispose();
    }
}
