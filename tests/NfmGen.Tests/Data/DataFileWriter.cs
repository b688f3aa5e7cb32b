using System.Buffers.Binary;
using System.IO.Compression;

namespace NfmGen.Tests.Data;

/// <summary>Writes small dataset files in their publishers' formats, with pixels that are a known function of position.</summary>
internal static class DataFileWriter
{
    /// <summary>The pixel the test files hold at sample n, channel c, row y, column x: distinct enough to catch a mixed-up axis.</summary>
    public static byte Pixel(int n, int c, int y, int x) => (byte)((n * 31 + c * 83 + y * 7 + x * 3) % 256);

    /// <summary>A CIFAR binary file: per record the label bytes, then 3072 channel-planar pixels (R plane, G plane, B plane).</summary>
    public static void WriteCifar(string path, IReadOnlyList<byte[]> labelBytes, int firstSample = 0)
    {
        using var file = File.Create(path);
        for (var r = 0; r < labelBytes.Count; r++)
        {
            file.Write(labelBytes[r]);
            for (var c = 0; c < 3; c++)
                for (var y = 0; y < 32; y++)
                    for (var x = 0; x < 32; x++)
                        file.WriteByte(Pixel(firstSample + r, c, y, x));
        }
    }

    /// <summary>
    /// A CIFAR-10 binary folder at <paramref name="folder"/> (created): five training batches of <paramref name="perBatch"/>
    /// images and a test batch of <paramref name="testCount"/>, labels cycling through the classes; returns its full path.
    /// </summary>
    public static string WriteCifar10Folder(string folder, int perBatch, int testCount)
    {
        var data = Directory.CreateDirectory(folder).FullName;
        for (var batch = 1; batch <= 5; batch++)
            WriteCifar(Path.Combine(data, $"data_batch_{batch}.bin"), CyclingLabels(perBatch, batch), firstSample: batch * perBatch);
        WriteCifar(Path.Combine(data, "test_batch.bin"), CyclingLabels(testCount, 0), firstSample: 100);
        return data;
    }

    private static IReadOnlyList<byte[]> CyclingLabels(int count, int offset) =>
        Enumerable.Range(0, count).Select(index => new[] { (byte)((index + offset) % 10) }).ToList();

    /// <summary>An IDX images file (magic 0x00000803) of <paramref name="count"/> images of rows x cols.</summary>
    public static void WriteIdxImages(string path, int count, int rows, int cols, int magic = 0x00000803)
    {
        var bytes = new List<byte>();
        bytes.AddRange(BigEndian(magic, count, rows, cols));
        for (var n = 0; n < count; n++)
            for (var y = 0; y < rows; y++)
                for (var x = 0; x < cols; x++)
                    bytes.Add(Pixel(n, 0, y, x));
        Write(path, [.. bytes]);
    }

    /// <summary>An IDX labels file (magic 0x00000801).</summary>
    public static void WriteIdxLabels(string path, byte[] labels) => Write(path, [.. BigEndian(0x00000801, labels.Length), .. labels]);

    /// <summary>Writes the bytes, gzip-compressed when the name ends in .gz.</summary>
    public static void Write(string path, byte[] bytes)
    {
        if (!path.EndsWith(".gz", StringComparison.Ordinal))
        {
            File.WriteAllBytes(path, bytes);
            return;
        }

        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        gzip.Write(bytes);
    }

    /// <summary>Cuts <paramref name="bytes"/> bytes off the end of a file.</summary>
    public static void Truncate(string path, int bytes)
    {
        using var file = File.OpenWrite(path);
        file.SetLength(file.Length - bytes);
    }

    private static byte[] BigEndian(params int[] values)
    {
        var bytes = new byte[4 * values.Length];
        for (var i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 * i), values[i]);
        return bytes;
    }
}
