namespace NfmGen.Data.Tables;

/// <summary>A CSV file a table was read from, as a run records it: where, which bytes, how many rows.</summary>
/// <param name="File">The file's full path when the run started (for messages and to find the test file again).</param>
/// <param name="Sha256">The SHA-256 of its bytes, lower-case hex: a resumed or evaluated run refuses a changed file.</param>
/// <param name="Rows">Its data rows.</param>
public sealed record TableSource(string File, string Sha256, int Rows)
{
    /// <summary>The source record of the file at <paramref name="path"/>, which holds <paramref name="rows"/> rows.</summary>
    internal static TableSource Of(string path, int rows)
    {
        using var stream = System.IO.File.OpenRead(path);
        return new TableSource(Path.GetFullPath(path), Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream)), rows);
    }

    /// <summary>Why the file at <paramref name="path"/> is not this source (other bytes), or null when it is.</summary>
    internal string? Mismatch(string path)
    {
        var now = Of(path, 0);
        return now.Sha256 == Sha256 ? null
            : $"{Path.GetFullPath(path)} is not the file the run was trained on ({File}, {Rows} rows, SHA-256 {Sha256[..12]}…; now {now.Sha256[..12]}…): its rows, split and statistics would differ";
    }
}
