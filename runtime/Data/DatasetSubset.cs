using NfmGen.Data.Images;
using NfmGen.Data.Tables;
using static TorchSharp.torch;

namespace NfmGen.Data;

/// <summary>
/// Some samples of another dataset, by index (the two parts of a validation hold-out). It reads through its parent,
/// which the caller keeps and disposes, and owns only its labels and its index map. Its epochs are its own (order,
/// and the crops of images in memory, by position); an image folder's file keeps its parent index, from which its
/// crop is drawn.
/// </summary>
internal sealed class DatasetSubset : LabeledDataset
{
    private readonly LabeledDataset parent;
    private readonly Tensor map;

    /// <summary>The samples of <paramref name="parent"/> at <paramref name="indices"/> (int64 on the CPU, which the subset takes).</summary>
    public DatasetSubset(string name, LabeledDataset parent, Tensor indices)
        : base(name, parent.Labels.index_select(0, indices.to(parent.Labels.device)), parent.ClassCount)
    {
        this.parent = parent;
        map = indices.DetachFromDisposeScope();
    }

    /// <summary>The parent's index of each sample, in order.</summary>
    internal long[] ParentIndices => map.data<long>().ToArray();

    /// <inheritdoc/>
    public override long[] InputShape => parent.InputShape;

    /// <inheritdoc/>
    public override Normalization? Normalization => parent.Normalization;

    /// <inheritdoc/>
    public override bool SupportsAugmentation => parent.SupportsAugmentation;

    /// <inheritdoc/>
    public override ImageSettings? Settings => parent.Settings;

    internal override TableSchema? Table => parent.Table;

    /// <inheritdoc/>
    protected internal override Tensor Gather(Tensor indices, GatherRequest request)
    {
        using var parentIndices = map.index_select(0, indices.cpu());
        return parent.Gather(parentIndices, request);
    }

    internal override string? ResumeMismatch(ImageSettings? stored) => parent.ResumeMismatch(stored);

    internal override bool PlansCrops => parent.PlansCrops;

    internal override bool MakesAugMixViews => parent.MakesAugMixViews;

    internal override int DefaultPrefetch(Device device) => parent.DefaultPrefetch(device);

    internal override Batch Assemble(EpochPlan plan, long start, long length, int index, GatherRequest request)
    {
        using var slice = plan.Slice(map, start, length);
        return parent.Assemble(slice, 0, length, index, request);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
            map.Dispose();
        base.Dispose(disposing);
    }
}
