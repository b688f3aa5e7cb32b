using static TorchSharp.torch;

namespace NfmGen.Robustness;

/// <summary>What the header of a NumPy <c>.npy</c> file says about its array (C order; see <see cref="NpyFile"/>).</summary>
/// <param name="Version">The format version: 1.0, 2.0 or 3.0.</param>
/// <param name="Descr">The NumPy dtype as written, e.g. <c>|u1</c> or <c>&lt;f4</c>.</param>
/// <param name="ElementType">The matching tensor element type.</param>
/// <param name="Shape">The array's shape; empty for a scalar.</param>
/// <param name="DataOffset">Where the data starts in the file, in bytes.</param>
internal sealed record NpyHeader(Version Version, string Descr, ScalarType ElementType, IReadOnlyList<long> Shape, long DataOffset)
{
    /// <summary>The number of elements: the product of <see cref="Shape"/> (1 for a scalar).</summary>
    public long ElementCount => Shape.Aggregate(1L, (count, length) => checked(count * length));

    /// <summary>The size of one element in bytes.</summary>
    public int ElementSize => ElementType switch
    {
        ScalarType.Byte or ScalarType.Bool => 1,
        ScalarType.Int32 or ScalarType.Float32 => 4,
        _ => 8,
    };

    /// <summary>The size of the data in bytes.</summary>
    public long DataLength => checked(ElementCount * ElementSize);

    /// <summary>The shape as NumPy prints it, e.g. "(50000, 32, 32, 3)", for messages.</summary>
    public string ShapeText => Shape.Count == 1 ? $"({Shape[0]},)" : $"({string.Join(", ", Shape)})";
}
