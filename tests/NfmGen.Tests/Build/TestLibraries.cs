using System.Reflection;
using NfmGen.Build;

namespace NfmGen.Tests.Build;

/// <summary>The real TorchSharp native library and small handmade ELF files for the patch tests.</summary>
internal static class TestLibraries
{
    /// <summary>The unpatched libLibTorchSharp.so in the NuGet cache; the test project passes its path in at build time.</summary>
    public static string OriginalLibTorchSharp { get; } = typeof(TestLibraries).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "OriginalLibTorchSharp").Value!;

    /// <summary>Copies the original library to <paramref name="path"/>, checking first that the cache still holds it unpatched.</summary>
    public static string CopyOriginalTo(string path)
    {
        Assert.True(File.Exists(OriginalLibTorchSharp), $"the restored TorchSharp library is missing: {OriginalLibTorchSharp}");
        File.Copy(OriginalLibTorchSharp, path);
        Assert.Equal(0, ReadRequirementFlags(path) & 0x2);
        return path;
    }

    /// <summary>vna_flags of the library's GLIBCXX_3.4.32 requirement.</summary>
    public static ushort ReadRequirementFlags(string path)
    {
        var elf = new ElfFile(path, File.ReadAllBytes(path));
        Assert.True(ElfVersioning.FindRequirement(elf, WeakenGlibcxxRequirement.Version, out long flagsOffset, out _));
        return elf.U16(flagsOffset);
    }

    /// <summary>
    /// Writes the smallest ELF64 file that <see cref="ElfVersioning.Defines"/> reads: a string table and a
    /// .gnu.version_d section defining <paramref name="versions"/>, standing in for a libstdc++.
    /// </summary>
    public static string WriteFakeLibStdCxx(string path, params string[] versions)
    {
        var strings = new MemoryStream();
        strings.WriteByte(0);
        var nameOffsets = new List<uint>();
        foreach (string version in versions)
        {
            nameOffsets.Add((uint)strings.Length);
            strings.Write(System.Text.Encoding.ASCII.GetBytes(version + "\0"));
        }

        const int HeaderSize = 64, VerdefSize = 20, VerdauxSize = 8, SectionHeaderSize = 64;
        long stringsOffset = HeaderSize;
        long verdefOffset = stringsOffset + strings.Length;
        long verdefSize = versions.Length * (VerdefSize + VerdauxSize);
        long sectionHeaders = verdefOffset + verdefSize;

        using var writer = new BinaryWriter(File.Create(path));
        writer.Write([0x7f, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0]); // ELF64, little-endian, version 1
        writer.Write(new byte[0x28 - 8]);
        writer.Write((ulong)sectionHeaders); // e_shoff
        writer.Write(new byte[0x3A - 0x30]);
        writer.Write((ushort)SectionHeaderSize); // e_shentsize
        writer.Write((ushort)3);                 // e_shnum
        writer.Write(new byte[HeaderSize - 0x3E]);

        writer.Write(strings.ToArray());
        for (int i = 0; i < versions.Length; i++)
        {
            bool last = i == versions.Length - 1;
            writer.Write((ushort)1); writer.Write((ushort)0); writer.Write((ushort)(i + 1)); writer.Write((ushort)1); // version, flags, ndx, cnt
            writer.Write(0u); writer.Write((uint)VerdefSize); writer.Write(last ? 0u : VerdefSize + VerdauxSize);    // hash, aux, next
            writer.Write(nameOffsets[i]); writer.Write(0u);                                                            // vda_name, vda_next
        }

        writer.Write(new byte[SectionHeaderSize]); // section 0 is always empty
        WriteSectionHeader(writer, type: 3, stringsOffset, strings.Length, link: 0, info: 0); // SHT_STRTAB
        WriteSectionHeader(writer, type: 0x6ffffffd, verdefOffset, verdefSize, link: 1, info: (uint)versions.Length);
        return path;
    }

    private static void WriteSectionHeader(BinaryWriter writer, uint type, long offset, long size, uint link, uint info)
    {
        writer.Write(0u); writer.Write(type); writer.Write(0ul); writer.Write(0ul); // name, type, flags, addr
        writer.Write((ulong)offset); writer.Write((ulong)size); writer.Write(link); writer.Write(info);
        writer.Write(0ul); writer.Write(0ul); // addralign, entsize
    }
}
