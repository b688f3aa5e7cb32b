// Compiled twice: by MSBuild's RoslynCodeTaskFactory (netstandard2.0 references, so classic C# only: no records,
// init or required) and by the test project (nullable on, warnings as errors).
#nullable disable
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Build.Framework;

namespace NfmGen.Build
{
    /// <summary>
    /// Lets TorchSharp's <c>libLibTorchSharp.so</c> load with a libstdc++ older than GCC 13's (Debian 12, Ubuntu 22.04):
    /// marks the library's <c>GLIBCXX_3.4.32</c> requirement weak, but only when this machine's libstdc++ lacks that
    /// version and only when no symbol other than the unused anchor <c>_ZSt21ios_base_library_initv</c> needs it.
    /// </summary>
    public sealed class WeakenGlibcxxRequirement : Microsoft.Build.Utilities.Task
    {
        /// <summary>The symbol version that GCC 13's libstdc++ introduced.</summary>
        public const string Version = "GLIBCXX_3.4.32";

        /// <summary>
        /// The one symbol allowed to be bound to <see cref="Version"/>: GCC 13's <c>&lt;iostream&gt;</c> references it as a
        /// link-time anchor, and nothing calls it, so a missing definition is harmless.
        /// </summary>
        public const string AnchorSymbol = "_ZSt21ios_base_library_initv";

        /// <summary>Where Debian, Ubuntu, Fedora and their kin keep the 64-bit libstdc++.</summary>
        public static readonly string[] LibStdCxxSearchPaths =
        {
            "/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6",
            "/lib64/libstdc++.so.6",
        };

        /// <summary>The copies of <c>libLibTorchSharp.so</c> in an output folder to patch in place.</summary>
        [Required]
        public ITaskItem[] Libraries { get; set; }

        /// <summary>The libstdc++ to check for <see cref="Version"/>; empty means the first of <see cref="LibStdCxxSearchPaths"/> that exists.</summary>
        public string LibStdCxxPath { get; set; }

        /// <summary>
        /// The items of <see cref="Libraries"/> whose requirement is weak once the task has run (patched now or by an earlier
        /// build); empty where this machine's libstdc++ has <see cref="Version"/> and nothing needed patching.
        /// </summary>
        [Output]
        public ITaskItem[] WeakLibraries { get; set; } = new ITaskItem[0];

        /// <inheritdoc />
        public override bool Execute()
        {
            string libStdCxx = string.IsNullOrEmpty(LibStdCxxPath)
                ? LibStdCxxSearchPaths.FirstOrDefault(File.Exists)
                : LibStdCxxPath;
            if (libStdCxx == null)
            {
                Log.LogMessage(MessageImportance.Low, "No libstdc++ at {0}; leaving libLibTorchSharp.so as it is.", string.Join(", ", LibStdCxxSearchPaths));
                return true;
            }
            if (!File.Exists(libStdCxx))
            {
                Log.LogError("LibStdCxxPath (-p:NfmGenLibStdCxxPath) must name an existing libstdc++.so.6 (was '{0}').", libStdCxx);
                return false;
            }

            try
            {
                if (ElfVersioning.Defines(libStdCxx, Version))
                {
                    Log.LogMessage(MessageImportance.Low, "{0} defines {1}; libLibTorchSharp.so needs no patch.", libStdCxx, Version);
                    return true;
                }
                var weak = new List<ITaskItem>();
                foreach (ITaskItem library in Libraries)
                {
                    string path = library.GetMetadata("FullPath");
                    WeakenOutcome outcome = ElfVersioning.WeakenRequirement(path, Version, AnchorSymbol);
                    if (outcome == WeakenOutcome.Weakened)
                    {
                        Log.LogMessage(MessageImportance.High,
                            "NfmGen: marked the {0} requirement of {1} weak, because {2} lacks it (only {3}, which nothing calls, uses it). Turn off with -p:NfmGenPatchLibTorchSharp=false.",
                            Version, path, libStdCxx, AnchorSymbol);
                    }
                    if (outcome != WeakenOutcome.NotRequired)
                        weak.Add(library);
                }
                WeakLibraries = weak.ToArray();
            }
            catch (Exception e) when (e is InvalidDataException || e is IOException || e is UnauthorizedAccessException)
            {
                Log.LogError(e.Message);
            }
            return !Log.HasLoggedErrors;
        }
    }

    /// <summary>What <see cref="ElfVersioning.WeakenRequirement"/> did.</summary>
    public enum WeakenOutcome
    {
        /// <summary>The library does not require the version at all.</summary>
        NotRequired,
        /// <summary>The requirement was weak already; the file was not written.</summary>
        AlreadyWeak,
        /// <summary>The requirement's weak flag was set.</summary>
        Weakened,
    }

    /// <summary>Reads and edits the GNU symbol versioning sections of a 64-bit little-endian ELF shared library.</summary>
    public static class ElfVersioning
    {
        const uint ShtDynsym = 11;
        const uint ShtGnuVerdef = 0x6ffffffd;
        const uint ShtGnuVerneed = 0x6ffffffe;
        const uint ShtGnuVersym = 0x6fffffff;
        const ushort VerFlgWeak = 0x2;
        // The top bit of a versym entry marks a hidden symbol; the rest is the version index.
        const ushort VersymIndexMask = 0x7fff;

        /// <summary>Whether the library at <paramref name="path"/> defines symbol version <paramref name="version"/> (in <c>.gnu.version_d</c>).</summary>
        public static bool Defines(string path, string version)
        {
            var elf = new ElfFile(path, File.ReadAllBytes(path));
            ElfSection verdef = elf.Section(ShtGnuVerdef, ".gnu.version_d");
            // Elf64_Verdef: vd_version u16, vd_flags u16, vd_ndx u16, vd_cnt u16, vd_hash u32, vd_aux u32, vd_next u32.
            // Its first Elf64_Verdaux (vda_name u32, vda_next u32) names the version itself.
            long entry = verdef.Offset;
            for (uint i = 0; i < verdef.Info; i++)
            {
                if (elf.StringAt(verdef.Link, elf.U32(entry + elf.U32(entry + 12))) == version)
                    return true;
                uint next = elf.U32(entry + 16);
                if (next == 0)
                    break;
                entry += next;
            }
            return false;
        }

        /// <summary>
        /// Sets VER_FLG_WEAK on the library's requirement of <paramref name="version"/>, so the loader accepts a libstdc++
        /// without it. Writes a new file in place of <paramref name="path"/> (never through a hard or symbolic link, so a
        /// linked NuGet cache stays untouched) and keeps its timestamp, so incremental copies do not undo the edit.
        /// </summary>
        /// <exception cref="InvalidDataException">The file is not a 64-bit little-endian ELF file, lacks a versioning section,
        /// or binds a symbol other than <paramref name="allowedSymbol"/> to <paramref name="version"/>.</exception>
        public static WeakenOutcome WeakenRequirement(string path, string version, string allowedSymbol)
        {
            var elf = new ElfFile(path, File.ReadAllBytes(path));
            long flagsOffset;
            ushort versionIndex;
            if (!FindRequirement(elf, version, out flagsOffset, out versionIndex))
                return WeakenOutcome.NotRequired;

            List<string> unexpected = SymbolsBoundTo(elf, versionIndex).Where(name => name != allowedSymbol).ToList();
            if (unexpected.Count > 0)
            {
                throw new InvalidDataException(string.Format(
                    "'{0}': refusing to weaken {1}: only {2} may be bound to it, but so are: {3}. This is not the library this fix was made for.",
                    path, version, allowedSymbol, string.Join(", ", unexpected)));
            }

            ushort flags = elf.U16(flagsOffset);
            if ((flags & VerFlgWeak) != 0)
                return WeakenOutcome.AlreadyWeak;

            string temp = path + ".nfmgen-tmp";
            File.Copy(path, temp, true); // File.Copy keeps the file mode on Unix.
            using (var stream = new FileStream(temp, FileMode.Open, FileAccess.Write))
            {
                stream.Position = flagsOffset;
                ushort weak = (ushort)(flags | VerFlgWeak);
                stream.WriteByte((byte)weak);
                stream.WriteByte((byte)(weak >> 8));
            }
            File.SetLastWriteTimeUtc(temp, File.GetLastWriteTimeUtc(path));
            File.Replace(temp, path, null);
            return WeakenOutcome.Weakened;
        }

        /// <summary>Finds the Vernaux entry named <paramref name="version"/>: the file offset of its flags and its version index.</summary>
        public static bool FindRequirement(ElfFile elf, string version, out long flagsOffset, out ushort versionIndex)
        {
            ElfSection verneed = elf.Section(ShtGnuVerneed, ".gnu.version_r");
            // Elf64_Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32.
            // Elf64_Vernaux: vna_hash u32, vna_flags u16, vna_other u16 (the version index), vna_name u32, vna_next u32.
            long need = verneed.Offset;
            for (uint i = 0; i < verneed.Info; i++)
            {
                long aux = need + elf.U32(need + 8);
                for (int j = 0; j < elf.U16(need + 2); j++)
                {
                    if (elf.StringAt(verneed.Link, elf.U32(aux + 8)) == version)
                    {
                        flagsOffset = aux + 4;
                        versionIndex = elf.U16(aux + 6);
                        return true;
                    }
                    aux += elf.U32(aux + 12);
                }
                uint next = elf.U32(need + 12);
                if (next == 0)
                    break;
                need += next;
            }
            flagsOffset = 0;
            versionIndex = 0;
            return false;
        }

        /// <summary>The names of the dynamic symbols whose <c>.gnu.version</c> entry is <paramref name="versionIndex"/>.</summary>
        public static List<string> SymbolsBoundTo(ElfFile elf, ushort versionIndex)
        {
            ElfSection dynsym = elf.Section(ShtDynsym, ".dynsym");
            ElfSection versym = elf.Section(ShtGnuVersym, ".gnu.version");
            const int SymbolSize = 24; // Elf64_Sym, whose first field st_name (u32) is all we read.
            long count = dynsym.Size / SymbolSize;
            if (versym.Size != count * 2)
            {
                throw new InvalidDataException(string.Format(
                    "'{0}': .gnu.version has {1} entries but .dynsym has {2} symbols; they must match one to one.",
                    elf.Path, versym.Size / 2, count));
            }
            var names = new List<string>();
            for (long i = 0; i < count; i++)
            {
                if ((elf.U16(versym.Offset + i * 2) & VersymIndexMask) == versionIndex)
                    names.Add(elf.StringAt(dynsym.Link, elf.U32(dynsym.Offset + i * SymbolSize)));
            }
            return names;
        }
    }

    /// <summary>The parts of an ELF64 section header that the versioning sections need.</summary>
    public sealed class ElfSection
    {
        /// <summary>Creates a section header view.</summary>
        public ElfSection(uint type, long offset, long size, uint link, uint info)
        {
            Type = type;
            Offset = offset;
            Size = size;
            Link = link;
            Info = info;
        }

        /// <summary>sh_type.</summary>
        public uint Type { get; private set; }
        /// <summary>sh_offset: where the section's bytes start in the file.</summary>
        public long Offset { get; private set; }
        /// <summary>sh_size in bytes.</summary>
        public long Size { get; private set; }
        /// <summary>sh_link: for these sections, the index of their string table (or of .dynstr's for .gnu.version, via .dynsym).</summary>
        public uint Link { get; private set; }
        /// <summary>sh_info: for the verdef/verneed sections, the number of entries.</summary>
        public uint Info { get; private set; }
    }

    /// <summary>A 64-bit little-endian ELF file held in memory, with bounds-checked reads that name the file when they fail.</summary>
    public sealed class ElfFile
    {
        readonly byte[] bytes;
        readonly List<ElfSection> sections = new List<ElfSection>();

        /// <summary>Parses the ELF header and section headers of <paramref name="bytes"/>, read from <paramref name="path"/>.</summary>
        /// <exception cref="InvalidDataException">Not a 64-bit little-endian ELF file, or its section headers lie outside it.</exception>
        public ElfFile(string path, byte[] bytes)
        {
            Path = path;
            this.bytes = bytes;
            // e_ident: 0x7f 'E' 'L' 'F', then EI_CLASS (2 = 64-bit) and EI_DATA (1 = little-endian).
            bool isElf64Le = bytes.Length >= 64 && bytes[0] == 0x7f && bytes[1] == (byte)'E' && bytes[2] == (byte)'L'
                && bytes[3] == (byte)'F' && bytes[4] == 2 && bytes[5] == 1;
            if (!isElf64Le)
                throw new InvalidDataException(string.Format("'{0}' is not a 64-bit little-endian ELF file (its first bytes are {1}).", path, Hex(bytes, 6)));

            long headerTable = (long)U64(0x28); // e_shoff
            int headerSize = U16(0x3A);         // e_shentsize
            int headerCount = U16(0x3C);        // e_shnum
            for (int i = 0; i < headerCount; i++)
            {
                long header = headerTable + (long)i * headerSize;
                sections.Add(new ElfSection(U32(header + 4), (long)U64(header + 24), (long)U64(header + 32), U32(header + 40), U32(header + 44)));
            }
        }

        /// <summary>The file the bytes came from, for messages.</summary>
        public string Path { get; private set; }

        /// <summary>The first section of <paramref name="type"/>; <paramref name="name"/> is only for the error when there is none.</summary>
        public ElfSection Section(uint type, string name)
        {
            ElfSection section = sections.FirstOrDefault(s => s.Type == type);
            if (section == null)
                throw new InvalidDataException(string.Format("'{0}' has no {1} section (type 0x{2:x}).", Path, name, type));
            return section;
        }

        /// <summary>The NUL-terminated string at <paramref name="offset"/> in the string table section <paramref name="stringTable"/>.</summary>
        public string StringAt(uint stringTable, uint offset)
        {
            if (stringTable >= sections.Count)
                throw Corrupt(string.Format("string table index {0} (the file has {1} sections)", stringTable, sections.Count));
            long start = sections[(int)stringTable].Offset + offset;
            long end = start;
            while (bytes[At(end, 1)] != 0)
                end++;
            return Encoding.ASCII.GetString(bytes, (int)start, (int)(end - start));
        }

        /// <summary>Little-endian u16 at <paramref name="offset"/>.</summary>
        public ushort U16(long offset)
        {
            long o = At(offset, 2);
            return (ushort)(bytes[o] | bytes[o + 1] << 8);
        }

        /// <summary>Little-endian u32 at <paramref name="offset"/>.</summary>
        public uint U32(long offset)
        {
            return U16(offset) | (uint)U16(offset + 2) << 16;
        }

        /// <summary>Little-endian u64 at <paramref name="offset"/>.</summary>
        public ulong U64(long offset)
        {
            return U32(offset) | (ulong)U32(offset + 4) << 32;
        }

        long At(long offset, int length)
        {
            if (offset < 0 || offset + length > bytes.Length)
                throw Corrupt(string.Format("a read of {0} bytes at 0x{1:x} (the file has 0x{2:x} bytes)", length, offset, bytes.Length));
            return offset;
        }

        InvalidDataException Corrupt(string what)
        {
            return new InvalidDataException(string.Format("'{0}' is a truncated or corrupt ELF file: {1}.", Path, what));
        }

        static string Hex(byte[] data, int count)
        {
            return data.Length == 0 ? "none: the file is empty" : BitConverter.ToString(data, 0, Math.Min(count, data.Length));
        }
    }
}
