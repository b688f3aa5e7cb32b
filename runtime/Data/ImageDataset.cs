using NfmGen.Data.Augmentation;
using static TorchSharp.torch;

namespace NfmGen.Data;

/// <summary>Images as the publisher stores them, uint8 <c>[N, C, H, W]</c>, with labels and the normalisation that turns them into network inputs.</summary>
internal sealed class ImageDataset : LabeledDataset
{
    /// <summary>Creates a dataset that owns <paramref name="images"/> and <paramref name="labels"/>.</summary>
    /// <param name="name">The dataset's name, e.g. <c>cifar10-train</c>.</param>
    /// <param name="images">uint8 pixels <c>[N, C, H, W]</c>, 0..255.</param>
    /// <param name="labels">int64 <c>[N]</c>, each in <c>0..classCount-1</c>.</param>
    /// <param name="classCount">The number of classes.</param>
    /// <param name="normalization">The per-channel normalisation; its channel count must be C.</param>
    /// <exception cref="ArgumentException">A shape, type or label does not fit.</exception>
    public ImageDataset(string name, Tensor images, Tensor labels, int classCount, Normalization normalization)
        : base(name, RequireOnePerLabel(name, CheckImages(name, images, normalization), labels), classCount)
    {
        Images = images.DetachFromDisposeScope();
        Normalization = normalization;
    }

    /// <summary>The pixels, uint8 <c>[N, C, H, W]</c>.</summary>
    public Tensor Images { get; }

    /// <summary>The normalisation that maps pixels to network inputs.</summary>
    public override Normalization Normalization { get; }

    /// <summary>The shape of one image, <c>[C, H, W]</c>.</summary>
    public override long[] InputShape => Images.shape[1..];

    /// <inheritdoc/>
    public override bool SupportsAugmentation => true;

    internal override bool PlansCrops => true;

    internal override bool MakesAugMixViews => true;

    /// <inheritdoc/>
    protected internal override Tensor Gather(Tensor indices, GatherRequest request)
    {
        if (request.AugMix is { } augMix)
            return AugMixed(indices, request, augMix);
        // Gather and move the uint8 pixels (4x less to copy than float), then do the pixel work on the device.
        var pixels = Images.index_select(0, indices.to(Images.device)).to(request.Device);
        if (request.Crops is var (offsets, flips))
            pixels = CropAndFlip.Apply(pixels, offsets, flips);
        return request.Pixels ? pixels : Normalization.Normalize(pixels);
    }

    // Every core: on the CPU the loader makes the views between steps, on a GPU ahead of steps that leave the cores idle.
    private static int AugMixWorkers => Environment.ProcessorCount;

    // AugMix works per sample on the CPU, after the crop and flip, and delivers the views' floats to the device.
    private Tensor AugMixed(Tensor indices, GatherRequest request, AugMixOptions augMix)
    {
        var positions = indices.cpu();
        var pixels = Images.index_select(0, positions.to(Images.device)).cpu();
        if (request.Crops is var (offsets, flips))
            pixels = CropAndFlip.Apply(pixels, offsets.cpu(), flips.cpu());
        var shape = new PlanarImage((int)pixels.shape[1], (int)pixels.shape[2], (int)pixels.shape[3]);
        return new AugMixViews(augMix, shape, Normalization).Inputs(
            pixels.contiguous().data<byte>().ToArray(), positions.data<long>().ToArray(), request, AugMixWorkers);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
            Images.Dispose();
        base.Dispose(disposing);
    }

    private static Tensor CheckImages(string name, Tensor images, Normalization normalization)
    {
        if (images.dtype != ScalarType.Byte || images.dim() != 4)
            throw new ArgumentException($"{name}: images must be uint8 [N, C, H, W] (were {images.dtype} [{string.Join(", ", images.shape)}]).", nameof(images));
        if (images.shape[1] != normalization.Channels)
            throw new ArgumentException($"{name}: images have {images.shape[1]} channels but the normalisation has {normalization.Channels} ({normalization}).", nameof(normalization));
        return images;
    }
}
