using NfmGen.Training;

namespace NfmGen.Benchmarks.Rigs;

/// <summary>The schemes the training-step benchmarks compare, by the names the tables use.</summary>
public static class BenchmarkSchemes
{
    /// <summary>
    /// erm, mixup, manifold-mixup, nfm: from the cheapest step to the one that does the most of the NFM family; then
    /// puzzlemix, whose step adds a forward and backward for the saliency and a graph cut per sample.
    /// </summary>
    public static IReadOnlyList<string> Names { get; } = ["erm", "mixup", "manifold-mixup", "nfm", "puzzlemix"];

    /// <summary>The preset called <paramref name="name"/> with the paper's defaults.</summary>
    public static TrainingScheme Get(string name) => TrainingScheme.Parse(name);
}
