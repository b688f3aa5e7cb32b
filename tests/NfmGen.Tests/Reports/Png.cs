using SkiaSharp;

namespace NfmGen.Tests.Reports;

/// <summary>A PNG file decoded with SkiaSharp, and the pixel questions the plot tests ask of it.</summary>
internal sealed class Png : IDisposable
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private readonly SKBitmap bitmap;

    private Png(SKBitmap bitmap) => this.bitmap = bitmap;

    public int Width => bitmap.Width;

    public int Height => bitmap.Height;

    /// <summary>Decodes <paramref name="path"/>, failing the test unless it is a PNG file.</summary>
    public static Png Read(string path)
    {
        Assert.True(File.Exists(path), $"{path} was not written");
        byte[] bytes = File.ReadAllBytes(path);
        Assert.True(bytes.AsSpan().StartsWith(Signature), $"{path} does not start with the PNG signature");
        using var codec = SKCodec.Create(new MemoryStream(bytes));
        Assert.Equal(SKEncodedImageFormat.Png, codec.EncodedFormat);
        return new Png(SKBitmap.Decode(bytes) ?? throw new InvalidDataException($"{path} does not decode"));
    }

    public SKColor this[int x, int y] => bitmap.GetPixel(x, y);

    /// <summary>The distinct colours in the rectangle [x0, x1) x [y0, y1) (the whole image by default).</summary>
    public int DistinctColors(int x0 = 0, int y0 = 0, int? x1 = null, int? y1 = null) => Pixels(x0, y0, x1, y1).Distinct().Count();

    /// <summary>How many pixels in the rectangle satisfy <paramref name="predicate"/>.</summary>
    public int Count(Func<SKColor, bool> predicate, int x0 = 0, int y0 = 0, int? x1 = null, int? y1 = null) =>
        Pixels(x0, y0, x1, y1).Count(predicate);

    /// <summary>
    /// The smallest rectangle (inclusive) around the pixels in [x0, x1) x [y0, y1) that satisfy <paramref name="predicate"/>;
    /// null when none does.
    /// </summary>
    public (int Left, int Top, int Right, int Bottom)? Bounds(Func<SKColor, bool> predicate, int x0 = 0, int y0 = 0, int? x1 = null, int? y1 = null)
    {
        (int Left, int Top, int Right, int Bottom)? bounds = null;
        for (int y = y0; y < (y1 ?? Height); y++)
        {
            for (int x = x0; x < (x1 ?? Width); x++)
            {
                if (!predicate(bitmap.GetPixel(x, y)))
                    continue;
                bounds = bounds is { } b ? (Math.Min(b.Left, x), Math.Min(b.Top, y), Math.Max(b.Right, x), Math.Max(b.Bottom, y)) : (x, y, x, y);
            }
        }
        return bounds;
    }

    public static bool IsDark(SKColor c) => c.Red < 90 && c.Green < 90 && c.Blue < 90;

    public static bool IsBluish(SKColor c) => c.Blue > c.Red + 30;

    public static bool IsReddish(SKColor c) => c.Red > c.Blue + 30;

    private IEnumerable<SKColor> Pixels(int x0, int y0, int? x1, int? y1)
    {
        for (int y = y0; y < (y1 ?? Height); y++)
        {
            for (int x = x0; x < (x1 ?? Width); x++)
                yield return bitmap.GetPixel(x, y);
        }
    }

    public void Dispose() => bitmap.Dispose();
}
