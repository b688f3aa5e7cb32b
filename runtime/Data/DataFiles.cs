using System.IO.Compression;

namespace NfmGen.Data;

/// <summary>Finding and reading the files that datasets ship as, with errors that name the file.</summary>
internal static class DataFiles
{
    /// <summary>
    /// The folder that holds <paramref name="marker"/>: <paramref name="folder"/> itself, or its usual
    /// <paramref name="subfolder"/> (the one the publisher's archive unpacks to).
    /// </summary>
    public static string ResolveFolder(string folder, string subfolder, string marker, string dataset)
    {
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"{dataset}: folder not found: {folder}");
        if (File.Exists(Path.Combine(folder, marker)))
            return folder;
        string nested = Path.Combine(folder, subfolder);
        if (File.Exists(Path.Combine(nested, marker)))
            return nested;
        throw new FileNotFoundException(
            $"{dataset}: {marker} not found in {folder} or in its {subfolder} subfolder.", Path.Combine(folder, marker));
    }

    /// <summary>Throws a <see cref="FileNotFoundException"/> naming <paramref name="path"/> unless it exists.</summary>
    public static void RequireFile(string path, string dataset)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{dataset}: file not found: {path}", path);
    }

    /// <summary>The whole file, decompressed when it starts with the gzip magic bytes (whatever its name).</summary>
    public static byte[] ReadAllBytesMaybeGzip(string path)
    {
        byte[] raw = File.ReadAllBytes(path);
        if (raw.Length < 2 || raw[0] != 0x1f || raw[1] != 0x8b)
            return raw;
        try
        {
            using var gzip = new GZipStream(new MemoryStream(raw), CompressionMode.Decompress);
            using var decompressed = new MemoryStream();
            gzip.CopyTo(decompressed);
            return decompressed.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: not a valid gzip stream ({e.Message}); the file is damaged or truncated.", e);
        }
    }
}
