using SkiaSharp;

namespace NfmGen.Tests.Data.Images;

/// <summary>Writes small image files and ImageFolder trees with SkiaSharp, for the tests (no downloads).</summary>
internal static class ImageTreeWriter
{
    /// <summary>The committed fixtures that SkiaSharp cannot write (tools/make_image_fixtures.py).</summary>
    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Data", "Images", "Fixtures", name);

    /// <summary>Writes a <paramref name="width"/> x <paramref name="height"/> image whose pixel (x, y) is <paramref name="color"/>(x, y); the format from the extension.</summary>
    public static string Write(string path, int width, int height, Func<int, int, (byte R, byte G, byte B)> color)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKImageInfo.PlatformColorType, SKAlphaType.Premul));
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var (r, g, b) = color(x, y);
                bitmap.SetPixel(x, y, new SKColor(r, g, b));
            }
        }
        var format = Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".png" => SKEncodedImageFormat.Png,
            ".webp" => SKEncodedImageFormat.Webp,
            _ => SKEncodedImageFormat.Jpeg,
        };
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, 95);
        File.WriteAllBytes(path, data.ToArray());
        return path;
    }

    /// <summary>
    /// A small, valid PNG whose header declares <paramref name="width"/> x <paramref name="height"/> RGB pixels and whose
    /// data holds one black row: what a decompression bomb or a damaged header looks like to a decoder.
    /// </summary>
    public static string DeclaredSizePng(string path, int width, int height)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var data = new MemoryStream();
        using (var deflate = new System.IO.Compression.ZLibStream(data, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
            deflate.Write(new byte[1 + 3 * width]); // filter byte, then the row
        var header = new byte[13];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header, width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bits per channel
        header[9] = 2; // RGB
        using var file = File.Create(path);
        file.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        WriteChunk(file, "IHDR", header);
        WriteChunk(file, "IDAT", data.ToArray());
        WriteChunk(file, "IEND", []);
        return path;
    }

    private static void WriteChunk(Stream file, string type, byte[] content)
    {
        var length = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, content.Length);
        byte[] typed = [.. System.Text.Encoding.ASCII.GetBytes(type), .. content];
        var crc = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typed));
        file.Write(length);
        file.Write(typed);
        file.Write(crc);
    }

    // PNG's CRC-32 (ISO 3309), bit by bit: libpng refuses a chunk whose checksum is wrong.
    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var value in bytes)
        {
            crc ^= value;
            for (var bit = 0; bit < 8; bit++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }

    /// <summary>A plain colour image.</summary>
    public static string Solid(string path, int width, int height, byte r, byte g, byte b) => Write(path, width, height, (_, _) => (r, g, b));

    /// <summary>
    /// root/train/&lt;class&gt;/ and root/val/&lt;class&gt;/ with <paramref name="perClass"/> and 2 images of each class: class k is
    /// one bright colour channel with a little texture, in sizes that vary with the index, alternately JPEG and PNG.
    /// </summary>
    public static string Tree(string root, string[] classes, int perClass)
    {
        foreach (var (split, count) in (ReadOnlySpan<(string, int)>)[("train", perClass), ("val", 2)])
        {
            for (var c = 0; c < classes.Length; c++)
            {
                for (var i = 0; i < count; i++)
                {
                    var extension = i % 2 == 0 ? ".jpg" : ".png";
                    var channel = c % 3;
                    Write(Path.Combine(root, split, classes[c], $"img{i:D3}{extension}"), 24 + 4 * (i % 5), 20 + 3 * (i % 4), (x, y) =>
                    {
                        var texture = (byte)((x * 7 + y * 13 + i * 5) % 40);
                        var value = (byte)(200 + texture / 2);
                        return (channel == 0 ? value : texture, channel == 1 ? value : texture, channel == 2 ? value : texture);
                    });
                }
            }
        }
        return root;
    }
}
