namespace NfmGen.Cli.Sweeps;

/// <summary>Quotes text for the two readers of a Slurm batch script: the shell that runs it, and sbatch's <c>#SBATCH</c> lines.</summary>
internal static class ShellQuoting
{
    /// <summary>
    /// <paramref name="text"/> as one POSIX shell word: in single quotes, where nothing is special, each single quote
    /// written as <c>'\''</c>.
    /// </summary>
    public static string Word(string text) => "'" + text.Replace("'", @"'\''", StringComparison.Ordinal) + "'";

    /// <summary>
    /// <paramref name="text"/> as one argument of an <c>#SBATCH</c> line: sbatch reads those itself, not through a shell,
    /// and takes double quotes (inside which spaces and <c>#</c> are plain) with a backslash before <c>"</c> and <c>\</c>.
    /// </summary>
    public static string SbatchValue(string text) => "\"" + text.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
