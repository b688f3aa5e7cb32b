using System.Diagnostics;
using System.Reflection;

namespace NfmGen.Cli.Sweeps;

/// <summary>How to start the <c>nfm</c> that is running now again: as a child process, or from a job script.</summary>
internal static class NfmExecutable
{
    /// <summary>A start of this tool with <paramref name="arguments"/>.</summary>
    public static ProcessStartInfo Start(IEnumerable<string> arguments)
    {
        var words = Words();
        var start = new ProcessStartInfo(words[0]);
        foreach (var word in words.Skip(1).Concat(arguments))
            start.ArgumentList.Add(word);
        return start;
    }

    /// <summary>The shell command that starts this tool, each word quoted, for the job scripts it writes.</summary>
    public static string ShellCommand() => string.Join(' ', Words().Select(ShellQuoting.Word));

    // Its own executable (a published nfm), or dotnet and nfm.dll when the .NET host runs the tool's assembly.
    private static List<string> Words()
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell which executable runs nfm (no process path); give the command with --nfm");
        if (!Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            return [host];
        var dll = Assembly.GetEntryAssembly()?.Location is { Length: > 0 } location ? location
            : throw new InvalidOperationException("nfm runs under dotnet, but its assembly's path is unknown; give the command with --nfm");
        return [host, dll];
    }
}
