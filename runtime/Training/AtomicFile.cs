namespace NfmGen.Training;

/// <summary>Writes files so that a crash leaves either the old file or the new one, never a torn one.</summary>
public static class AtomicFile
{
    /// <summary>
    /// Writes <paramref name="path"/> through <paramref name="write"/>: into a temporary file beside it, flushed to disk,
    /// then renamed over the old file (an atomic replace on POSIX and NTFS). If <paramref name="write"/> throws, the old
    /// file is untouched and the temporary file is removed.
    /// </summary>
    public static void Write(string path, Action<Stream> write)
    {
        var temporary = path + ".tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> atomically, as UTF-8.</summary>
    public static void WriteText(string path, string text) =>
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            writer.Write(text);
        });
}
