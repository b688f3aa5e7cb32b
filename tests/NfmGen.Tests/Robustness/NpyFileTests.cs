using System.Runtime.InteropServices;
using NfmGen.Robustness;
using static TorchSharp.torch;

namespace NfmGen.Tests.Robustness;

/// <summary>The .npy reader: every supported dtype and header version read back exactly, and damaged files named with their problem.</summary>
public sealed class NpyFileTests
{
    public static TheoryData<string, ScalarType, byte[], int> Arrays()
    {
        var data = new TheoryData<string, ScalarType, byte[], int>();
        (string Descr, ScalarType Type, byte[] Bytes)[] arrays =
        [
            ("|u1", ScalarType.Byte, [0, 1, 2, 127, 128, 255]),
            ("|b1", ScalarType.Bool, [1, 0, 0, 1, 1, 0]),
            ("<i4", ScalarType.Int32, MemoryMarshal.AsBytes<int>([int.MinValue, -1, 0, 1, 7, int.MaxValue]).ToArray()),
            ("<i8", ScalarType.Int64, MemoryMarshal.AsBytes<long>([long.MinValue, -1, 0, 1, 1L << 40, long.MaxValue]).ToArray()),
            ("<f4", ScalarType.Float32, MemoryMarshal.AsBytes<float>([-1.5f, 0, 1e-30f, 3.25f, float.MaxValue, 0.1f]).ToArray()),
            ("<f8", ScalarType.Float64, MemoryMarshal.AsBytes<double>([-1.5, 0, 1e-300, 3.25, double.MaxValue, 0.1]).ToArray()),
        ];
        foreach (var (descr, type, bytes) in arrays)
            foreach (int version in new[] { 1, 2, 3 })
                data.Add(descr, type, bytes, version);
        return data;
    }

    [Theory]
    [MemberData(nameof(Arrays))]
    public void Every_supported_dtype_reads_back_bit_for_bit_in_every_header_version(string descr, ScalarType type, byte[] bytes, int version)
    {
        using var temp = new TempDirectory();
        string path = temp.File("array.npy");
        NpyWriter.Write(path, descr, [2, 3], bytes, version);

        using var array = NpyFile.Read(path);
        var header = NpyFile.ReadHeader(path);

        Assert.Equal(type, array.dtype);
        Assert.Equal([2L, 3L], array.shape);
        Assert.Equal(bytes, array.bytes.ToArray());
        Assert.Equal(new Version(version, 0), header.Version);
        Assert.Equal(descr, header.Descr);
        Assert.Equal(0, header.DataOffset % 64);
    }

    [Fact]
    public void Values_keep_their_meaning_not_just_their_bytes()
    {
        using var temp = new TempDirectory();
        string path = temp.File("labels.npy");
        NpyWriter.WriteLabels(path, [3, 0, 9], "<i8");

        using var labels = NpyFile.Read(path);

        Assert.Equal(new long[] { 3, 0, 9 }, labels.data<long>().ToArray());
    }

    [Theory]
    [InlineData("()", new long[0], 1)]
    [InlineData("(5,)", new long[] { 5 }, 5)]
    [InlineData("(0, 3)", new long[] { 0, 3 }, 0)]
    [InlineData("(2L, 2L)", new long[] { 2, 2 }, 4)] // Python 2's long literals
    public void Scalars_empty_arrays_and_old_headers_have_their_shapes(string shapeText, long[] shape, int count)
    {
        using var temp = new TempDirectory();
        string path = temp.File("array.npy");
        NpyWriter.WriteHeader(path, $"{{\"descr\": \"|u1\", \"fortran_order\": False, \"shape\": {shapeText}}}", new byte[count]);

        using var array = NpyFile.Read(path);

        Assert.Equal(shape, array.shape);
    }

    [Theory]
    [InlineData(">f4", "unsupported dtype '>f4'")]
    [InlineData("<u2", "unsupported dtype '<u2'")]
    [InlineData("<U8", "unsupported dtype '<U8'")]
    public void An_unsupported_dtype_is_named_with_the_accepted_ones(string descr, string expected)
    {
        using var temp = new TempDirectory();
        string path = temp.File("array.npy");
        NpyWriter.Write(path, descr, [1], new byte[16]);

        var error = Assert.Throws<InvalidDataException>(() => NpyFile.Read(path));

        Assert.StartsWith(path, error.Message);
        Assert.Contains(expected, error.Message);
        Assert.Contains("|u1, |b1, <i4, <i8, <f4, <f8", error.Message);
    }

    [Fact]
    public void Fortran_order_is_rejected()
    {
        using var temp = new TempDirectory();
        string path = temp.File("array.npy");
        NpyWriter.Write(path, "|u1", [2, 3], new byte[6], fortranOrder: true);

        var error = Assert.Throws<InvalidDataException>(() => NpyFile.Read(path));

        Assert.Contains("Fortran order", error.Message);
    }

    [Theory]
    [InlineData(-1, "the data is truncated")]
    [InlineData(1, "the data does not match the shape")]
    public void Data_shorter_or_longer_than_the_shape_is_rejected(int extraBytes, string expected)
    {
        using var temp = new TempDirectory();
        string path = temp.File("array.npy");
        NpyWriter.Write(path, "<f4", [2, 3], new byte[24 + extraBytes]);

        var error = Assert.Throws<InvalidDataException>(() => NpyFile.ReadHeader(path));

        Assert.StartsWith(path, error.Message);
        Assert.Contains(expected, error.Message);
        Assert.Contains("(2, 3)", error.Message);
        Assert.Contains("24 bytes", error.Message);
    }

    [Fact]
    public void A_file_without_the_magic_is_not_a_npy_file()
    {
        using var temp = new TempDirectory();
        string path = temp.File("array.npy");
        File.WriteAllText(path, "PK\u0003\u0004 a zip, perhaps an .npz");

        var error = Assert.Throws<InvalidDataException>(() => NpyFile.Read(path));

        Assert.Contains("not a .npy file", error.Message);
        Assert.Contains("\\x93NUMPY", error.Message);
    }

    [Fact]
    public void An_unknown_format_version_is_named()
    {
        using var temp = new TempDirectory();
        string path = temp.File("array.npy");
        NpyWriter.Write(path, "|u1", [1], [0]);
        using (var file = File.OpenWrite(path))
        {
            file.Position = 6;
            file.WriteByte(4);
        }

        var error = Assert.Throws<InvalidDataException>(() => NpyFile.Read(path));

        Assert.Contains("version 4.0", error.Message);
        Assert.Contains("1.0, 2.0, 3.0", error.Message);
    }

    [Fact]
    public void A_header_cut_short_is_reported()
    {
        using var temp = new TempDirectory();
        string path = temp.File("array.npy");
        NpyWriter.Write(path, "|u1", [1], [0]);
        using (var file = File.OpenWrite(path))
            file.SetLength(30);

        var error = Assert.Throws<InvalidDataException>(() => NpyFile.Read(path));

        Assert.Contains("header is truncated", error.Message);
    }

    [Theory]
    [InlineData("{'descr': '|u1', 'fortran_order': False}", "no 'shape'")]
    [InlineData("{'descr': [('x', '<f4')], 'fortran_order': False, 'shape': (1,)}", "structured dtype")]
    [InlineData("{'descr': '|u1', 'fortran_order': 0, 'shape': (1,)}", "'fortran_order'")]
    [InlineData("{'descr': '|u1', 'fortran_order': False, 'shape': (1,)", "not a Python dict")]
    [InlineData("descr=|u1", "not a Python dict")]
    public void A_malformed_header_is_quoted_with_what_is_missing(string dict, string expected)
    {
        using var temp = new TempDirectory();
        string path = temp.File("array.npy");
        NpyWriter.WriteHeader(path, dict, [0]);

        var error = Assert.Throws<InvalidDataException>(() => NpyFile.Read(path));

        Assert.StartsWith(path, error.Message);
        Assert.Contains(expected, error.Message);
    }
}
