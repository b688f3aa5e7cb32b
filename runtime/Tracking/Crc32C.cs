using System.Numerics;

namespace NfmGen.Tracking;

/// <summary>CRC-32C (Castagnoli), and the masked form that TFRecord frames carry.</summary>
internal static class Crc32C
{
    /// <summary>The CRC-32C of <paramref name="data"/> (of "123456789": 0xE3069283).</summary>
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = ~0u;
        foreach (var value in data)
            crc = BitOperations.Crc32C(crc, value);
        return ~crc;
    }

    /// <summary>
    /// TFRecord's masked CRC: rotated right by 15 bits plus a constant, because a CRC over data that holds CRCs is weak
    /// (tensorflow/core/lib/hash/crc32c.h).
    /// </summary>
    public static uint Masked(ReadOnlySpan<byte> data)
    {
        var crc = Compute(data);
        return unchecked(((crc >> 15) | (crc << 17)) + 0xa282ead8u);
    }
}
