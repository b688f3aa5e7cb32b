using System.Buffers.Binary;
using System.Text;
using static TorchSharp.torch;

namespace NfmGen.Robustness;

/// <summary>
/// Reads NumPy <c>.npy</c> files (format versions 1.0, 2.0 and 3.0) into CPU tensors: C-ordered arrays of
/// <c>|u1</c> (uint8), <c>|b1</c> (bool), <c>&lt;i4</c>, <c>&lt;i8</c>, <c>&lt;f4</c> or <c>&lt;f8</c> up to 2 GiB of data.
/// Every problem is an <see cref="InvalidDataException"/> whose message starts with the file and says what was wrong:
/// bad magic, unsupported version or dtype, Fortran order, a malformed or truncated header, or data shorter or longer
/// than the shape says.
/// </summary>
internal static class NpyFile
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>The dtypes this reader accepts, as NumPy writes them on a little-endian machine.</summary>
    public static IReadOnlyList<string> SupportedDescrs { get; } = ["|u1", "|b1", "<i4", "<i8", "<f4", "<f8"];

    /// <summary>Reads and checks the header of <paramref name="path"/>, including that the data has the length the shape implies.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a supported, complete .npy file.</exception>
    internal static NpyHeader ReadHeader(string path)
    {
        using var stream = File.OpenRead(path);
        return ReadHeader(stream, path);
    }

    /// <summary>Reads the array in <paramref name="path"/> as a CPU tensor of its shape and element type.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a supported, complete .npy file, or holds more than 2 GiB of data.</exception>
    public static Tensor Read(string path)
    {
        using var stream = File.OpenRead(path);
        var header = ReadHeader(stream, path);
        if (header.DataLength > Array.MaxLength)
            throw new InvalidDataException($"{path}: {header.DataLength} bytes of data ({header.Descr} {header.ShapeText}); this reader takes up to {Array.MaxLength}.");
        if (!BitConverter.IsLittleEndian && header.ElementSize > 1)
            throw new PlatformNotSupportedException($"{path}: little-endian {header.Descr} data needs a little-endian machine.");

        var array = empty(header.Shape.ToArray(), header.ElementType);
        try
        {
            stream.Position = header.DataOffset;
            // Straight into the tensor's memory: a CIFAR-10-C file is 150 MB.
            stream.ReadExactly(array.bytes);
            return array;
        }
        catch
        {
            array.Dispose();
            throw;
        }
    }

    private static NpyHeader ReadHeader(Stream stream, string path)
    {
        Span<byte> prefix = stackalloc byte[8];
        int read = stream.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false);
        if (read < Magic.Length || !prefix[..Magic.Length].SequenceEqual(Magic))
            throw Bad(path, $"not a .npy file: it does not start with the magic bytes \\x93NUMPY (starts with {Hex(prefix[..read])})");
        if (read < prefix.Length)
            throw Bad(path, "the file ends inside the format version");
        var version = new Version(prefix[6], prefix[7]);
        int lengthSize = (prefix[6], prefix[7]) switch
        {
            (1, 0) => 2,
            (2, 0) or (3, 0) => 4,
            _ => throw Bad(path, $"unsupported .npy format version {version}; accepted: 1.0, 2.0, 3.0"),
        };

        Span<byte> lengthBytes = stackalloc byte[lengthSize];
        if (stream.ReadAtLeast(lengthBytes, lengthSize, throwOnEndOfStream: false) < lengthSize)
            throw Bad(path, "the file ends inside the header length");
        long headerLength = lengthSize == 2 ? BinaryPrimitives.ReadUInt16LittleEndian(lengthBytes) : BinaryPrimitives.ReadUInt32LittleEndian(lengthBytes);
        long dataOffset = prefix.Length + lengthSize + headerLength;
        if (dataOffset > stream.Length)
            throw Bad(path, $"the header is truncated: {headerLength} bytes announced, {stream.Length - prefix.Length - lengthSize} in the file");
        byte[] headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        // Versions 1 and 2 write the header in latin-1, version 3 in UTF-8.
        string text = (version.Major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(headerBytes);

        var (descr, shape) = Fields(text, path);
        var header = new NpyHeader(version, descr, ElementType(descr, path), shape, dataOffset);
        long available = stream.Length - dataOffset;
        if (available < header.DataLength)
            throw Bad(path, $"the data is truncated: shape {header.ShapeText} of {descr} needs {header.DataLength} bytes, the file has {available} after the header");
        if (available > header.DataLength)
            throw Bad(path, $"the data does not match the shape: {header.ShapeText} of {descr} needs {header.DataLength} bytes, the file has {available} after the header");
        return header;
    }

    /// <summary>The dtype and shape from the header dict, which must say C order.</summary>
    private static (string Descr, long[] Shape) Fields(string text, string path)
    {
        Dictionary<string, object?> fields;
        try
        {
            fields = PythonLiteral.ParseDict(text);
        }
        catch (FormatException e)
        {
            throw Bad(path, $"the header is not a Python dict ({e.Message}): {text.Trim()}");
        }

        if (!fields.TryGetValue("descr", out var descr) || descr is not string descrText)
            throw Bad(path, $"the header has no 'descr' string (a structured dtype is not supported; accepted: {string.Join(", ", SupportedDescrs)}): {text.Trim()}");
        if (!fields.TryGetValue("fortran_order", out var fortran) || fortran is not bool fortranOrder)
            throw Bad(path, $"the header has no 'fortran_order' True/False: {text.Trim()}");
        if (!fields.TryGetValue("shape", out var shape) || shape is not List<object?> dimensions || dimensions.Any(d => d is not long length || length < 0))
            throw Bad(path, $"the header has no 'shape' tuple of lengths >= 0: {text.Trim()}");
        if (fortranOrder)
            throw Bad(path, "the array is stored in Fortran order; only C order is supported (save np.ascontiguousarray(array))");
        return (descrText, dimensions.Select(d => (long)d!).ToArray());
    }

    private static ScalarType ElementType(string descr, string path) => descr switch
    {
        "|u1" => ScalarType.Byte,
        "|b1" => ScalarType.Bool,
        "<i4" => ScalarType.Int32,
        "<i8" => ScalarType.Int64,
        "<f4" => ScalarType.Float32,
        "<f8" => ScalarType.Float64,
        _ => throw Bad(path, $"unsupported dtype '{descr}'; accepted: {string.Join(", ", SupportedDescrs)}"),
    };

    private static string Hex(ReadOnlySpan<byte> bytes) => bytes.Length == 0 ? "nothing: the file is empty" : Convert.ToHexString(bytes);

    private static InvalidDataException Bad(string path, string problem) => new($"{path}: {problem}.");
}
