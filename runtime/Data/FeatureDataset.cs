using static TorchSharp.torch;

namespace NfmGen.Data;

/// <summary>Float feature vectors <c>[N, D]</c> with labels, used as network inputs as they are (no normalisation, no augmentation).</summary>
internal sealed class FeatureDataset : LabeledDataset
{
    /// <summary>Creates a dataset that owns <paramref name="features"/> and <paramref name="labels"/>.</summary>
    /// <param name="name">The dataset's name, e.g. <c>two-moons</c>.</param>
    /// <param name="features">float32 <c>[N, D]</c>.</param>
    /// <param name="labels">int64 <c>[N]</c>, each in <c>0..classCount-1</c>.</param>
    /// <param name="classCount">The number of classes.</param>
    /// <exception cref="ArgumentException">A shape, type or label does not fit.</exception>
    public FeatureDataset(string name, Tensor features, Tensor labels, int classCount)
        : base(name, RequireOnePerLabel(name, CheckFeatures(name, features), labels), classCount)
    {
        Features = features.DetachFromDisposeScope();
    }

    /// <summary>The features, float32 <c>[N, D]</c>.</summary>
    public Tensor Features { get; }

    /// <inheritdoc/>
    public override long[] InputShape => Features.shape[1..];

    /// <inheritdoc/>
    protected internal override Tensor Gather(Tensor indices, GatherRequest request) => Rows(Features, indices, request);

    /// <summary>The rows of <paramref name="features"/> at <paramref name="indices"/>, on the request's device: every dataset of vectors gathers so.</summary>
    internal static Tensor Rows(Tensor features, Tensor indices, GatherRequest request) =>
        features.index_select(0, indices.to(features.device)).to(request.Device);

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
            Features.Dispose();
        base.Dispose(disposing);
    }

    private static Tensor CheckFeatures(string name, Tensor features)
    {
        if (features.dtype != ScalarType.Float32 || features.dim() != 2)
            throw new ArgumentException($"{name}: features must be float32 [N, D] (were {features.dtype} [{string.Join(", ", features.shape)}]).", nameof(features));
        return features;
    }
}
