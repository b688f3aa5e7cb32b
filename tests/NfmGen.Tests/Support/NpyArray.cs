using System.Globalization;
using System.IO.Compression;
using System.Text.RegularExpressions;

namespace NfmGen.Tests;

/// <summary>One array of a .npy file: little-endian float32, float64, int32 or int64, C order.</summary>
internal sealed partial record NpyArray(long[] Shape, string Type, byte[] Data)
{
    public float[] Floats => Type switch
    {
        "<f4" => MemoryMarshalCast<float>(),
        "<f8" => MemoryMarshalCast<double>().Select(value => (float)value).ToArray(),
        _ => throw new InvalidDataException($"a {Type} array is not float"),
    };

    public double[] Doubles => Type switch
    {
        "<f8" => MemoryMarshalCast<double>(),
        "<f4" => MemoryMarshalCast<float>().Select(value => (double)value).ToArray(),
        _ => throw new InvalidDataException($"a {Type} array is not float"),
    };

    public long[] Longs => Type switch
    {
        "<i8" => MemoryMarshalCast<long>(),
        "<i4" => MemoryMarshalCast<int>().Select(value => (long)value).ToArray(),
        _ => throw new InvalidDataException($"a {Type} array is not integer"),
    };

    public int[] Ints => Longs.Select(value => checked((int)value)).ToArray();

    private T[] MemoryMarshalCast<T>() where T : struct => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, T>(Data).ToArray();

    /// <summary>The arrays of a .npz file (NumPy's <c>savez</c>: a zip of .npy files), by name.</summary>
    public static Dictionary<string, NpyArray> ReadNpz(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        var arrays = new Dictionary<string, NpyArray>();
        foreach (var entry in zip.Entries)
        {
            using var stream = entry.Open();
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            arrays[Path.GetFileNameWithoutExtension(entry.Name)] = Parse(memory.ToArray(), $"{path}:{entry.Name}");
        }
        return arrays;
    }

    public static NpyArray Parse(byte[] bytes, string source)
    {
        if (bytes.Length < 10 || bytes[0] != 0x93 || System.Text.Encoding.ASCII.GetString(bytes, 1, 5) != "NUMPY")
            throw new InvalidDataException($"{source} is not a .npy file");
        var major = bytes[6];
        var (headerLength, headerStart) = major == 1 ? (BitConverter.ToUInt16(bytes, 8), 10) : ((int)BitConverter.ToUInt32(bytes, 8), 12);
        var header = System.Text.Encoding.ASCII.GetString(bytes, headerStart, headerLength);
        var match = HeaderPattern().Match(header);
        if (!match.Success || match.Groups["order"].Value != "False")
            throw new InvalidDataException($"{source} has a header this reader does not know: {header}");
        var shape = match.Groups["shape"].Value
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(dimension => long.Parse(dimension, CultureInfo.InvariantCulture)).ToArray();
        return new NpyArray(shape, match.Groups["type"].Value, bytes[(headerStart + headerLength)..]);
    }

    [GeneratedRegex(@"'descr':\s*'(?<type>[<|]\w+)',\s*'fortran_order':\s*(?<order>\w+),\s*'shape':\s*\((?<shape>[^)]*)\)")]
    private static partial Regex HeaderPattern();
}
