using System.Diagnostics;
using System.Reflection;

namespace NfmGen.Cli.Sweeps;

/// <summary>How to start this same <c>nfm</c> again as a child process.</summary>
internal static class NfmExecutable
{
    /// <summary>
    /// A start of this tool with <paramref name="arguments"/>: its own executable, or <c>dotnet nfm.dll</c> when it
    /// runs under the <c>dotnet</c> host.
    /// </summary>
    public static ProcessStartInfo Start(IEnumerable<string> arguments)
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell which executable runs nfm (no process path)");
        var start = new ProcessStartInfo(host);
        if (Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            start.ArgumentList.Add(Assembly.GetEntryAssembly()?.Location is { Length: > 0 } dll ? dll
                : throw new InvalidOperationException("nfm runs under dotnet, but its assembly's path is unknown"));
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        return start;
    }
}
