using static TorchSharp.torch;

namespace NfmGen.Data;

/// <summary>
/// Reads the CIFAR binary format: fixed-size records of label bytes followed by 3072 pixel bytes,
/// channel-planar (1024 red, 1024 green, 1024 blue, each row-major 32x32).
/// </summary>
internal static class CifarBinary
{
    public const int Channels = 3, Side = 32, PixelBytes = Channels * Side * Side;

    /// <param name="files">The files in order; their records are concatenated.</param>
    /// <param name="labelBytes">Label bytes before the pixels in each record (1 for CIFAR-10, 2 for CIFAR-100).</param>
    /// <param name="labelOffset">Which of those bytes is the label to use.</param>
    /// <param name="classCount">Labels must be below it.</param>
    /// <param name="labelKind">What the label is, for messages (e.g. "fine label").</param>
    public static (Tensor Images, Tensor Labels) Read(IReadOnlyList<string> files, int labelBytes, int labelOffset, int classCount, string labelKind)
    {
        int recordBytes = labelBytes + PixelBytes;
        long totalRecords = 0;
        foreach (string file in files)
        {
            DataFiles.RequireFile(file, "CIFAR");
            totalRecords += CheckedRecordCount(file, new FileInfo(file).Length, recordBytes);
        }

        var pixels = new byte[totalRecords * PixelBytes];
        var labels = new long[totalRecords];
        long next = 0;
        foreach (string file in files)
        {
            byte[] bytes = File.ReadAllBytes(file);
            long records = CheckedRecordCount(file, bytes.Length, recordBytes); // the file may have changed since it was measured
            if (next + records > totalRecords)
                throw new InvalidDataException($"{file}: grew while it was being read ({records} records).");
            for (long r = 0; r < records; r++)
            {
                long start = r * recordBytes;
                byte label = bytes[start + labelOffset];
                if (label >= classCount)
                    throw new InvalidDataException($"{file}: record {r} has {labelKind} {label}, expected 0..{classCount - 1}.");
                labels[next] = label;
                Array.Copy(bytes, start + labelBytes, pixels, next * PixelBytes, PixelBytes);
                next++;
            }
        }

        if (next != totalRecords)
            throw new InvalidDataException($"CIFAR files shrank while they were being read: {next} of {totalRecords} records.");
        return (tensor(pixels, [totalRecords, Channels, Side, Side], ScalarType.Byte), tensor(labels, [totalRecords]));
    }

    private static long CheckedRecordCount(string file, long length, int recordBytes)
    {
        if (length == 0)
            throw new InvalidDataException($"{file}: empty; expected records of {recordBytes} bytes.");
        if (length % recordBytes != 0)
            throw new InvalidDataException(
                $"{file}: truncated: {length} bytes is not a whole number of {recordBytes}-byte records " +
                $"(record {length / recordBytes} has {length % recordBytes} of {recordBytes} bytes).");
        return length / recordBytes;
    }
}
