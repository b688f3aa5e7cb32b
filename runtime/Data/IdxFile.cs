using System.Buffers.Binary;

namespace NfmGen.Data;

/// <summary>
/// Reads the unsigned-byte IDX files of MNIST and its look-alikes, plain or gzip-compressed:
/// a big-endian magic number (0x00000803 images, 0x00000801 labels), big-endian int32 dimensions, then the bytes.
/// </summary>
internal static class IdxFile
{
    public const int ImagesMagic = 0x00000803, LabelsMagic = 0x00000801;

    /// <summary>Images: <c>count x rows x cols</c> pixel bytes, row-major.</summary>
    public static (byte[] Pixels, int Count, int Rows, int Cols) ReadImages(string path)
    {
        var (bytes, dims) = Read(path, ImagesMagic, "images (unsigned bytes, 3 dimensions)");
        return (bytes, dims[0], dims[1], dims[2]);
    }

    /// <summary>Labels: one byte per sample.</summary>
    public static byte[] ReadLabels(string path) => Read(path, LabelsMagic, "labels (unsigned bytes, 1 dimension)").Data;

    private static (byte[] Data, int[] Dims) Read(string path, int expectedMagic, string expectedWhat)
    {
        DataFiles.RequireFile(path, "IDX");
        byte[] file = DataFiles.ReadAllBytesMaybeGzip(path);
        if (file.Length < 4)
            throw new InvalidDataException($"{path}: truncated: {file.Length} bytes, too short for the 4-byte IDX magic number (expected 0x{expectedMagic:X8}, {expectedWhat}).");

        int magic = BinaryPrimitives.ReadInt32BigEndian(file);
        if (magic != expectedMagic)
            throw new InvalidDataException($"{path}: magic number 0x{magic:X8}, expected 0x{expectedMagic:X8} for IDX {expectedWhat}{Hint(magic)}.");

        int rank = expectedMagic & 0xff, headerBytes = 4 + 4 * rank;
        if (file.Length < headerBytes)
            throw new InvalidDataException($"{path}: truncated: {file.Length} bytes, too short for the {headerBytes}-byte IDX header.");

        var dims = new int[rank];
        long dataBytes = 1;
        for (var d = 0; d < rank; d++)
        {
            dims[d] = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(4 + 4 * d));
            if (dims[d] < 0)
                throw new InvalidDataException($"{path}: dimension {d} is {dims[d]}, expected >= 0.");
            dataBytes *= dims[d];
        }

        long actual = file.Length - headerBytes;
        if (actual != dataBytes)
            throw new InvalidDataException(
                $"{path}: {(actual < dataBytes ? "truncated" : "too long")}: the header [{string.Join(" x ", dims)}] needs {dataBytes} data bytes, the file has {actual}.");
        return (file[headerBytes..], dims);
    }

    private static string Hint(int magic) => magic switch
    {
        ImagesMagic => " (this is an images file)",
        LabelsMagic => " (this is a labels file)",
        _ => "",
    };
}
