using static TorchSharp.torch;

namespace NfmGen.Data;

/// <summary>
/// A seeded, class-stratified hold-out: from each class, round(fraction x its samples) drawn at random (at most all but
/// one). The validation split and a table's test split draw with it, each from its own stream of the seed.
/// </summary>
internal static class StratifiedHoldOut
{
    /// <summary>Which of the samples with <paramref name="labels"/> are held out, drawn by a CPU generator seeded with <paramref name="streamSeed"/>.</summary>
    /// <param name="labels">The class of each sample.</param>
    /// <param name="fraction">In (0, 1).</param>
    /// <param name="streamSeed">The seed of the draw (<see cref="Randomness.Seeds.Derive"/> of the user's seed and a stream).</param>
    public static bool[] Draw(long[] labels, double fraction, long streamSeed)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var held = new bool[labels.Length];
        using var generator = new Generator(unchecked((ulong)streamSeed), CPU);
        foreach (var members in Enumerable.Range(0, labels.Length).GroupBy(i => labels[i]).OrderBy(group => group.Key))
        {
            var indices = members.ToArray();
            var take = Math.Min((int)Math.Round(fraction * indices.Length, MidpointRounding.AwayFromZero), indices.Length - 1);
            using var order = randperm(indices.Length, ScalarType.Int64, CPU, generator: generator);
            foreach (var position in order.data<long>().ToArray().Take(take))
                held[indices[position]] = true;
        }
        return held;
    }
}
