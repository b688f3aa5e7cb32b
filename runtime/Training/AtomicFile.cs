namespace NfmGen.Training;

/// <summary>Writes files so that a crash leaves either the old file or the new one, never a torn one.</summary>
internal static class AtomicFile
{
    /// <summary>What the temporary file beside the target is called: the target's name and this suffix.</summary>
    public const string TemporarySuffix = ".tmp";

    /// <summary>
    /// Writes <paramref name="path"/> through <paramref name="write"/>: into a temporary file beside it, flushed to disk,
    /// then renamed over the old file (an atomic replace on POSIX and NTFS). If <paramref name="write"/> throws, the old
    /// file is untouched and the temporary file is removed.
    /// </summary>
    public static void Write(string path, Action<Stream> write)
    {
        var temporary = WriteTemporary(path, write);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>
    /// As <see cref="Write"/>, but the old file is first renamed to <paramref name="previousPath"/> (replacing the one
    /// there), so that the last two versions are kept. A crash between the two renames leaves the old file as the
    /// previous one and the new one, complete, in the temporary file.
    /// </summary>
    public static void WriteKeepingPrevious(string path, string previousPath, Action<Stream> write)
    {
        var temporary = WriteTemporary(path, write);
        if (File.Exists(path))
            File.Move(path, previousPath, overwrite: true);
        File.Move(temporary, path);
    }

    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> atomically, as UTF-8.</summary>
    public static void WriteText(string path, string text) =>
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            writer.Write(text);
        });

    private static string WriteTemporary(string path, Action<Stream> write)
    {
        var temporary = path + TemporarySuffix;
        try
        {
            using var stream = new FileStream(temporary, FileMode.Create, FileAccess.ReadWrite, FileShare.None);
            write(stream);
            stream.Flush(flushToDisk: true);
            return temporary;
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
