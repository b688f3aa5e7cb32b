using NfmGen.Training;

namespace NfmGen.Benchmarks.Rigs;

/// <summary>The four schemes the training-step benchmarks compare, by the names the tables use.</summary>
public static class BenchmarkSchemes
{
    /// <summary>erm, mixup, manifold-mixup, nfm: from the cheapest step to the one that does the most.</summary>
    public static IReadOnlyList<string> Names { get; } = ["erm", "mixup", "manifold-mixup", "nfm"];

    /// <summary>The preset called <paramref name="name"/> with the paper's defaults.</summary>
    public static TrainingScheme Get(string name) => TrainingScheme.Parse(name);
}
