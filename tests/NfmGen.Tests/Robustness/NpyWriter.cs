using System.Buffers.Binary;
using System.Text;

namespace NfmGen.Tests.Robustness;

/// <summary>Writes .npy files as NumPy does (header padded with spaces to a multiple of 64 bytes, ending in '\n'), or damaged on purpose.</summary>
internal static class NpyWriter
{
    /// <summary>An array of <paramref name="descr"/> and <paramref name="shape"/> whose raw data is <paramref name="data"/>.</summary>
    public static void Write(string path, string descr, long[] shape, byte[] data, int version = 1, bool fortranOrder = false) =>
        WriteHeader(path, $"{{'descr': '{descr}', 'fortran_order': {(fortranOrder ? "True" : "False")}, 'shape': {Shape(shape)}, }}", data, version);

    /// <summary>A file with the given header dict text, padded as NumPy pads it, then <paramref name="data"/>.</summary>
    public static void WriteHeader(string path, string dict, byte[] data, int version = 1)
    {
        int lengthSize = version == 1 ? 2 : 4;
        int unpadded = 6 + 2 + lengthSize + dict.Length + 1;
        string header = dict + new string(' ', (64 - unpadded % 64) % 64) + "\n";
        byte[] headerBytes = (version == 3 ? Encoding.UTF8 : Encoding.Latin1).GetBytes(header);

        using var file = File.Create(path);
        file.Write([0x93, .. "NUMPY"u8, (byte)version, 0]);
        Span<byte> length = stackalloc byte[lengthSize];
        if (lengthSize == 2)
            BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)headerBytes.Length);
        else
            BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)headerBytes.Length);
        file.Write(length);
        file.Write(headerBytes);
        file.Write(data);
    }

    /// <summary>uint8 images <c>(N, H, W, C)</c> as CIFAR-10-C stores them.</summary>
    public static void WriteImages(string path, byte[,,,] images)
    {
        long[] shape = [images.GetLength(0), images.GetLength(1), images.GetLength(2), images.GetLength(3)];
        Write(path, "|u1", shape, images.Cast<byte>().ToArray());
    }

    /// <summary>Labels as uint8 (|u1) or int64 (&lt;i8).</summary>
    public static void WriteLabels(string path, long[] labels, string descr = "|u1") => Write(path, descr, [labels.Length], descr switch
    {
        "|u1" => labels.Select(l => (byte)l).ToArray(),
        "<i8" => labels.SelectMany(BitConverter.GetBytes).ToArray(),
        _ => throw new ArgumentException($"labels are written as |u1 or <i8 (was {descr})", nameof(descr)),
    });

    private static string Shape(long[] shape) => shape.Length == 1 ? $"({shape[0]},)" : $"({string.Join(", ", shape)})";
}
