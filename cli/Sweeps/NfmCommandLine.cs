using System.Reflection;

namespace NfmGen.Cli.Sweeps;

/// <summary>The shell command that starts the <c>nfm</c> that is running now, for the job scripts it writes.</summary>
internal static class NfmCommandLine
{
    /// <summary>
    /// This process's executable, quoted: the published <c>nfm</c> itself, or <c>dotnet path/to/nfm.dll</c> when the
    /// .NET host runs the tool's assembly.
    /// </summary>
    public static string Current()
    {
        var executable = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell this process's executable; give the command with --nfm");
        var name = Path.GetFileNameWithoutExtension(executable);
        if (!name.Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            return ShellQuoting.Word(executable);
        var assembly = Assembly.GetEntryAssembly()?.Location is { Length: > 0 } location ? location
            : throw new InvalidOperationException("cannot tell the path of nfm.dll; give the command with --nfm");
        return $"{ShellQuoting.Word(executable)} {ShellQuoting.Word(assembly)}";
    }
}
