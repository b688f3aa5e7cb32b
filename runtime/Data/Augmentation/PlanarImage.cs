namespace NfmGen.Data.Augmentation;

/// <summary>The shape of one 8-bit image stored plane by plane (<c>[C, H, W]</c>, as the datasets hold them): 1 channel (PIL's <c>L</c>) or 3 (<c>RGB</c>).</summary>
/// <param name="Channels">1 or 3.</param>
/// <param name="Height">Rows.</param>
/// <param name="Width">Columns.</param>
internal readonly record struct PlanarImage(int Channels, int Height, int Width)
{
    /// <summary>Pixels in one channel's plane.</summary>
    public int Plane => Height * Width;

    /// <summary>Bytes in the whole image.</summary>
    public int Bytes => Channels * Plane;

    /// <summary>Channel <paramref name="c"/>'s plane of <paramref name="pixels"/>.</summary>
    public Span<byte> PlaneOf(Span<byte> pixels, int c) => pixels.Slice(c * Plane, Plane);

    /// <inheritdoc cref="PlaneOf(Span{byte}, int)"/>
    public ReadOnlySpan<byte> PlaneOf(ReadOnlySpan<byte> pixels, int c) => pixels.Slice(c * Plane, Plane);
}
