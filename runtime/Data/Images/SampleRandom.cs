using NfmGen.Randomness;
namespace NfmGen.Data.Images;

/// <summary>
/// The random numbers of one sample's augmentation: a SplitMix64 stream seeded by (seed, epoch, dataset index), so a
/// sample's crop and flip depend on nothing else: not on the batch size, the worker that decodes it, nor on a resume.
/// </summary>
internal struct SampleRandom
{
    private ulong state;

    public SampleRandom(long seed, int epoch, long index)
    {
        // The epoch's seed is the loader's (EpochPlan), so order and augmentation derive from (seed, epoch) alike.
        state = Seeds.SplitMix64(unchecked(EpochPlan.EpochSeed(seed, epoch) + (ulong)(index + 1) * Seeds.GoldenGamma));
    }

    /// <summary>A uniform double in [0, 1).</summary>
    public double NextDouble()
    {
        state = unchecked(state + Seeds.GoldenGamma);
        return (Seeds.SplitMix64(state) >> 11) * (1.0 / (1UL << 53));
    }

    /// <summary>A uniform double in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public double Uniform(double low, double high) => low + (high - low) * NextDouble();

    /// <summary>A uniform integer in [0, <paramref name="count"/>).</summary>
    public int Below(int count) => Math.Min(count - 1, (int)(NextDouble() * count));
}
