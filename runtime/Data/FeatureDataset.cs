using static TorchSharp.torch;

namespace NfmGen.Data;

/// <summary>Float feature vectors <c>[N, D]</c> with labels, used as network inputs as they are (no normalisation, no augmentation).</summary>
public sealed class FeatureDataset : LabeledDataset
{
    /// <summary>Creates a dataset that owns <paramref name="features"/> and <paramref name="labels"/>.</summary>
    /// <param name="name">The dataset's name, e.g. <c>two-moons</c>.</param>
    /// <param name="features">float32 <c>[N, D]</c>.</param>
    /// <param name="labels">int64 <c>[N]</c>, each in <c>0..classCount-1</c>.</param>
    /// <param name="classCount">The number of classes.</param>
    /// <exception cref="ArgumentException">A shape, type or label does not fit.</exception>
    public FeatureDataset(string name, Tensor features, Tensor labels, int classCount)
        : base(name, CheckFeatures(name, features), labels, classCount)
    {
        Features = features;
    }

    /// <summary>The features, float32 <c>[N, D]</c>.</summary>
    public Tensor Features { get; }

    private protected override void DisposeInputs() => Features.Dispose();

    private static Tensor CheckFeatures(string name, Tensor features)
    {
        if (features.dtype != ScalarType.Float32 || features.dim() != 2)
            throw new ArgumentException($"{name}: features must be float32 [N, D] (were {features.dtype} [{string.Join(", ", features.shape)}]).", nameof(features));
        return features;
    }
}
