using NfmGen.Build;

namespace NfmGen.Tests.Build;

public sealed class ElfVersioningTests
{
    private const string Version = WeakenGlibcxxRequirement.Version;
    private const string Anchor = WeakenGlibcxxRequirement.AnchorSymbol;

    [Fact]
    public void Weakening_sets_the_weak_flag_of_that_one_requirement_and_changes_no_other_byte()
    {
        using var temp = new TempDirectory();
        string library = TestLibraries.CopyOriginalTo(temp.File("libLibTorchSharp.so"));
        byte[] before = File.ReadAllBytes(library);
        DateTime timestamp = File.GetLastWriteTimeUtc(library);

        Assert.Equal(WeakenOutcome.Weakened, ElfVersioning.WeakenRequirement(library, Version, Anchor));

        byte[] after = File.ReadAllBytes(library);
        var elf = new ElfFile(library, after);
        Assert.True(ElfVersioning.FindRequirement(elf, Version, out long flagsOffset, out _));
        int[] changed = Enumerable.Range(0, before.Length).Where(i => before[i] != after[i]).ToArray();
        Assert.Equal([(int)flagsOffset], changed); // vna_flags is little-endian: 0x2 lives in its first byte
        Assert.Equal(before[flagsOffset] | 0x2, after[flagsOffset]);
        Assert.Equal(before.Length, after.Length);
        // The timestamp stays, so MSBuild's incremental copy sees an unchanged file and does not undo the patch.
        Assert.Equal(timestamp, File.GetLastWriteTimeUtc(library));
    }

    [Fact]
    public void Weakening_twice_leaves_the_file_as_the_first_run_did()
    {
        using var temp = new TempDirectory();
        string library = TestLibraries.CopyOriginalTo(temp.File("libLibTorchSharp.so"));
        ElfVersioning.WeakenRequirement(library, Version, Anchor);
        byte[] once = File.ReadAllBytes(library);

        Assert.Equal(WeakenOutcome.AlreadyWeak, ElfVersioning.WeakenRequirement(library, Version, Anchor));

        Assert.Equal(once, File.ReadAllBytes(library));
    }

    [Fact]
    public void Weakening_a_symbolic_link_replaces_the_link_and_leaves_its_target_alone()
    {
        // MSBuild can be told to link output files to the NuGet cache instead of copying them.
        using var temp = new TempDirectory();
        string cached = TestLibraries.CopyOriginalTo(temp.File("cached.so"));
        string output = temp.File("libLibTorchSharp.so");
        File.CreateSymbolicLink(output, cached);

        ElfVersioning.WeakenRequirement(output, Version, Anchor);

        Assert.Equal(File.ReadAllBytes(TestLibraries.OriginalLibTorchSharp), File.ReadAllBytes(cached));
        Assert.Null(new FileInfo(output).LinkTarget);
        Assert.Equal(0x2, TestLibraries.ReadRequirementFlags(output) & 0x2);
    }

    [Fact]
    public void Only_the_anchor_symbol_is_bound_to_the_version_in_the_real_library()
    {
        var elf = new ElfFile(TestLibraries.OriginalLibTorchSharp, File.ReadAllBytes(TestLibraries.OriginalLibTorchSharp));
        Assert.True(ElfVersioning.FindRequirement(elf, Version, out _, out ushort index));

        Assert.Equal([Anchor], ElfVersioning.SymbolsBoundTo(elf, index));
    }

    [Fact]
    public void A_library_binding_another_symbol_to_the_version_is_refused_and_left_untouched()
    {
        using var temp = new TempDirectory();
        string library = TestLibraries.CopyOriginalTo(temp.File("libLibTorchSharp.so"));
        string rebound = BindAnotherSymbolToVersion(library);
        byte[] before = File.ReadAllBytes(library);

        var error = Assert.Throws<InvalidDataException>(() => ElfVersioning.WeakenRequirement(library, Version, Anchor));

        Assert.Contains(library, error.Message);
        Assert.Contains(rebound, error.Message);
        Assert.Equal(before, File.ReadAllBytes(library));
    }

    [Fact]
    public void A_library_without_the_requirement_is_left_alone()
    {
        using var temp = new TempDirectory();
        string library = TestLibraries.CopyOriginalTo(temp.File("libLibTorchSharp.so"));
        byte[] before = File.ReadAllBytes(library);

        Assert.Equal(WeakenOutcome.NotRequired, ElfVersioning.WeakenRequirement(library, "GLIBCXX_9.9.9", Anchor));

        Assert.Equal(before, File.ReadAllBytes(library));
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { (byte)'#', (byte)'!', (byte)'/', (byte)'b', (byte)'i', (byte)'n' })]
    [InlineData(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F', 1, 1 })] // 32-bit ELF
    public void A_file_that_is_not_a_64_bit_little_endian_ELF_file_is_rejected_by_name(byte[] content)
    {
        using var temp = new TempDirectory();
        string path = temp.File("libLibTorchSharp.so");
        File.WriteAllBytes(path, content.Concat(new byte[100]).ToArray());

        var error = Assert.Throws<InvalidDataException>(() => ElfVersioning.WeakenRequirement(path, Version, Anchor));

        Assert.Contains($"'{path}' is not a 64-bit little-endian ELF file", error.Message);
    }

    [Fact]
    public void A_truncated_ELF_file_is_rejected_by_name()
    {
        using var temp = new TempDirectory();
        string path = temp.File("libLibTorchSharp.so");
        File.WriteAllBytes(path, File.ReadAllBytes(TestLibraries.OriginalLibTorchSharp).Take(4096).ToArray());

        var error = Assert.Throws<InvalidDataException>(() => ElfVersioning.WeakenRequirement(path, Version, Anchor));

        Assert.Contains($"'{path}' is a truncated or corrupt ELF file", error.Message);
    }

    [Fact]
    public void Version_definitions_are_read_from_gnu_version_d()
    {
        using var temp = new TempDirectory();
        string library = TestLibraries.WriteFakeLibStdCxx(temp.File("libstdc++.so.6"), "GLIBCXX_3.4", "GLIBCXX_3.4.30", "GLIBCXX_3.4.31");

        Assert.True(ElfVersioning.Defines(library, "GLIBCXX_3.4.30"));
        Assert.True(ElfVersioning.Defines(library, "GLIBCXX_3.4.31"));
        Assert.False(ElfVersioning.Defines(library, "GLIBCXX_3.4.32"));
    }

    [Fact]
    public void A_library_without_version_definitions_is_rejected_by_name()
    {
        var error = Assert.Throws<InvalidDataException>(() => ElfVersioning.Defines(TestLibraries.OriginalLibTorchSharp, "GLIBCXX_3.4.30"));

        Assert.Contains($"'{TestLibraries.OriginalLibTorchSharp}' has no .gnu.version_d section", error.Message);
    }

    [SkippableFact]
    public void This_machines_libstdcxx_defines_the_versions_its_file_name_promises()
    {
        string? path = WeakenGlibcxxRequirement.LibStdCxxSearchPaths.FirstOrDefault(File.Exists);
        Skip.If(path == null, $"no libstdc++ at {string.Join(", ", WeakenGlibcxxRequirement.LibStdCxxSearchPaths)}");
        // libstdc++.so.6.0.N defines GLIBCXX_3.4.N and none later: an oracle that does not parse ELF.
        string realName = File.ResolveLinkTarget(path, returnFinalTarget: true)?.Name ?? Path.GetFileName(path);
        Skip.IfNot(realName.StartsWith("libstdc++.so.6.0.", StringComparison.Ordinal), $"{path} resolves to {realName}, not libstdc++.so.6.0.N");
        int minor = int.Parse(realName["libstdc++.so.6.0.".Length..], System.Globalization.CultureInfo.InvariantCulture);

        Assert.True(ElfVersioning.Defines(path, "GLIBCXX_3.4.30"));
        Assert.True(ElfVersioning.Defines(path, $"GLIBCXX_3.4.{minor}"));
        Assert.False(ElfVersioning.Defines(path, $"GLIBCXX_3.4.{minor + 1}"));
        Assert.Equal(minor >= 32, ElfVersioning.Defines(path, Version));
    }

    /// <summary>Rewrites the .gnu.version entry of some other versioned symbol to the requirement's index; returns its name.</summary>
    private static string BindAnotherSymbolToVersion(string library)
    {
        byte[] bytes = File.ReadAllBytes(library);
        var elf = new ElfFile(library, bytes);
        Assert.True(ElfVersioning.FindRequirement(elf, Version, out _, out ushort index));
        ElfSection dynsym = elf.Section(11, ".dynsym");
        ElfSection versym = elf.Section(0x6fffffff, ".gnu.version");

        // Versions 0 and 1 mean local and global; anything above is a real version of some other symbol.
        long symbol = Enumerable.Range(1, (int)(versym.Size / 2) - 1).First(i =>
        {
            int version = elf.U16(versym.Offset + i * 2) & 0x7fff;
            return version > 1 && version != index;
        });
        BitConverter.TryWriteBytes(bytes.AsSpan((int)(versym.Offset + symbol * 2)), index);
        File.WriteAllBytes(library, bytes);
        return elf.StringAt(dynsym.Link, elf.U32(dynsym.Offset + symbol * 24));
    }
}
