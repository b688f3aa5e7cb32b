namespace NfmGen.Randomness;

/// <summary>Independent seeds for the streams of randomness that one user seed drives.</summary>
internal static class Seeds
{
    /// <summary>The training mixer's stream (its generators derive their own from it).</summary>
    public const long MixerStream = 1;

    /// <summary>The batch loader's stream (data order and augmentation).</summary>
    public const long LoaderStream = 2;

    /// <summary>The stream that reseeds torch's global generators before each training step.</summary>
    public const long GlobalGeneratorsStream = 3;

    /// <summary>The stream that draws the validation hold-out from the training data.</summary>
    public const long ValidationStream = 4;

    /// <summary>The stream that draws a table's test split from its file (<see cref="Data.Tables.CsvOptions.SplitSeed"/>).</summary>
    public const long TestSplitStream = 5;

    /// <summary>
    /// The seed of stream <paramref name="stream"/> under <paramref name="seed"/>: a SplitMix64 hash, so that nearby
    /// seeds and streams give unrelated sequences (seed s's mixer never replays seed s + 1's initialisation).
    /// </summary>
    public static long Derive(long seed, long stream)
    {
        return unchecked((long)SplitMix64(unchecked((ulong)seed + GoldenGamma * (ulong)(stream + 1))));
    }

    /// <summary>SplitMix64's increment, 2^64 / φ: a generator's state advances by it, and seeds are spread with it.</summary>
    internal const ulong GoldenGamma = 0x9E3779B97F4A7C15UL;

    /// <summary>SplitMix64's finaliser (Steele, Lea and Flood, 2014): a bijection of 64 bits in which every input bit changes about half the output bits.</summary>
    internal static ulong SplitMix64(ulong z)
    {
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }
}
