using NfmGen.Data.Images;
using NfmGen.Data.Tables;
using NfmGen.Reports;
using static TorchSharp.torch;

namespace NfmGen.Data;

/// <summary>
/// A classification dataset: int64 labels in <c>0..ClassCount-1</c> and a way to gather the inputs of any samples.
/// What it holds is said by its <see cref="InputShape"/> and <see cref="Normalization"/>; the loader, the trainer and the
/// evaluators ask nothing else of it, so a new kind of data is one new subclass (with its reader).
/// </summary>
/// <remarks>
/// The dataset owns its tensors: they belong to no dispose scope, and <see cref="Dispose()"/> frees them. Override
/// <see cref="Dispose(bool)"/> to free a subclass's own.
/// </remarks>
public abstract class LabeledDataset : IDisposable
{
    private static readonly IReadOnlyList<PerturbationKind> AnyInputs = Array.AsReadOnly([PerturbationKind.WhiteNoise]);
    private static readonly IReadOnlyList<PerturbationKind> TableInputs = Array.AsReadOnly([PerturbationKind.WhiteNoise, PerturbationKind.FeatureDrop]);
    private static readonly IReadOnlyList<PerturbationKind> PixelInputs =
        Array.AsReadOnly([PerturbationKind.WhiteNoise, PerturbationKind.SaltAndPepper, PerturbationKind.Fgsm, PerturbationKind.Pgd,
            PerturbationKind.AutoAttack, PerturbationKind.AutoAttackL2]);

    /// <summary>Checks the labels and takes ownership of them.</summary>
    /// <param name="name">The dataset's name, for messages and the run, e.g. <c>cifar10-train</c>.</param>
    /// <param name="labels">int64 <c>[N]</c>, each in <c>0..classCount-1</c>.</param>
    /// <param name="classCount">The number of classes, &gt;= 1.</param>
    /// <exception cref="ArgumentException">The labels are not int64 <c>[N]</c>, or one is out of range.</exception>
    protected LabeledDataset(string name, Tensor labels, int classCount)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(labels);
        if (classCount < 1)
            throw new ArgumentOutOfRangeException(nameof(classCount), classCount, $"{name}: classCount must be >= 1.");
        if (labels.dtype != ScalarType.Int64 || labels.dim() != 1)
            throw new ArgumentException($"{name}: labels must be int64 [N] (were {labels.dtype} [{string.Join(", ", labels.shape)}]).", nameof(labels));
        if (labels.numel() > 0)
        {
            using var minTensor = labels.min();
            using var maxTensor = labels.max();
            long min = minTensor.item<long>(), max = maxTensor.item<long>();
            if (min < 0 || max >= classCount)
                throw new ArgumentException($"{name}: labels must be in 0..{classCount - 1} (found {(min < 0 ? min : max)}).", nameof(labels));
        }

        Name = name;
        Labels = labels.DetachFromDisposeScope();
        ClassCount = classCount;
    }

    /// <summary>The dataset's name, for messages and logs, e.g. <c>cifar10-train</c>.</summary>
    public string Name { get; }

    /// <summary>The labels, int64 <c>[N]</c>.</summary>
    public Tensor Labels { get; }

    /// <summary>The number of classes; every label is below it.</summary>
    public int ClassCount { get; }

    /// <summary>The number of samples N.</summary>
    public long Count => Labels.shape[0];

    /// <summary>The shape of one sample as the network takes it: <c>[C, H, W]</c> for images, <c>[D]</c> for points.</summary>
    public abstract long[] InputShape { get; }

    /// <summary>
    /// For images, the normalisation that turns pixels in [0, 1] into the network's inputs; null for inputs that are
    /// not pixels (points, table rows). Pixel perturbations, CIFAR-C and Puzzle Mix need it.
    /// </summary>
    public virtual Normalization? Normalization => null;

    /// <summary>Whether random crops and flips make sense on the samples (training augmentation of images).</summary>
    public virtual bool SupportsAugmentation => false;

    /// <summary>
    /// The perturbations that make sense on the samples: white noise on any inputs; feature drop on table rows; salt and
    /// pepper, FGSM, PGD and AutoAttack on pixels (when there is a <see cref="Normalization"/>).
    /// </summary>
    public IReadOnlyList<PerturbationKind> Perturbations => Table is not null ? TableInputs : Normalization is null ? AnyInputs : PixelInputs;

    /// <summary>What a run trained on these samples keeps to point its model at a file (image folders); null for others.</summary>
    public virtual ImageSettings? Settings => null;

    /// <summary>For rows of a CSV file: how they were encoded (which a run keeps, and table perturbations need); null for others.</summary>
    internal virtual TableSchema? Table => null;

    /// <summary>
    /// The inputs of the samples at <paramref name="indices"/> (dataset indices, int64 <c>[n]</c>), in that order, on
    /// <see cref="GatherRequest.Device"/>: float32 <c>[n, ..InputShape]</c> as the network takes them (for images with a
    /// <see cref="Normalization"/>, normalised; uint8 pixels when the request asks for <see cref="GatherRequest.Pixels"/>).
    /// Called on the loader's worker thread, inside a dispose scope that the loader owns.
    /// </summary>
    protected internal abstract Tensor Gather(Tensor indices, GatherRequest request);

    /// <summary>Why a run that started on data with <paramref name="stored"/> settings cannot resume on this data, or null when it can.</summary>
    internal virtual string? ResumeMismatch(ImageSettings? stored) => null;

    /// <summary>
    /// Whether <see cref="Gather"/> makes AugMix's three views when <see cref="GatherRequest.AugMix"/> asks (the image
    /// datasets NfmGen reads: in memory, IDX, CIFAR and image folders); a loader refuses AugMix for other data.
    /// </summary>
    internal virtual bool MakesAugMixViews => false;

    /// <summary>Whether the epoch plan draws a crop and flip for each position (in-memory images); others draw per sample in <see cref="Gather"/>.</summary>
    internal virtual bool PlansCrops => false;

    /// <summary>How many batches a loader prepares ahead on <paramref name="device"/> unless told otherwise.</summary>
    internal virtual int DefaultPrefetch(Device device) => BatchLoader.DefaultPrefetch(device);

    /// <summary>
    /// The batch at positions <c>start .. start+length-1</c> of <paramref name="plan"/>: its labels, inputs and dataset
    /// indices, detached from every dispose scope (the receiver owns them).
    /// </summary>
    internal virtual Batch Assemble(EpochPlan plan, long start, long length, int index, GatherRequest request)
    {
        using var scope = NewDisposeScope();
        var positions = plan.Order.narrow(0, start, length);
        var labels = Labels.index_select(0, positions.to(Labels.device)).to(request.Device);
        var inputs = Gather(positions, request with { Crops = plan.Crops(start, length) });
        var indices = positions.to(request.Device);
        scope.Detach(inputs, labels, indices);
        return new Batch(inputs, labels, indices, request.Epoch, index);
    }

    /// <summary>Frees the dataset's tensors.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Frees the labels; a subclass frees its own tensors too, then calls this.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
            Labels.Dispose();
    }

    /// <summary>
    /// Checks that <paramref name="inputs"/> hold one row per label and returns the labels: for a subclass's call of the
    /// base constructor, so that inputs are checked before the base takes the labels.
    /// </summary>
    /// <exception cref="ArgumentException">The first dimension is not the number of labels.</exception>
    protected static Tensor RequireOnePerLabel(string name, Tensor inputs, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(labels);
        if (inputs.dim() == 0 || inputs.shape[0] != labels.shape[0])
            throw new ArgumentException($"{name}: {labels.shape[0]} labels for inputs of shape [{string.Join(", ", inputs.shape)}]; the first dimension must match.", nameof(labels));
        return labels;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({Count} samples, {ClassCount} classes)";
}
