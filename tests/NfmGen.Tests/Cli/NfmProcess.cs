using System.Diagnostics;

namespace NfmGen.Tests.Cli;

/// <summary>Runs the built <c>nfm</c> command line as a separate process, as a user would.</summary>
internal static class NfmProcess
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    /// <summary>The built tool, from the same configuration as the tests.</summary>
    private static string ToolPath
    {
        get
        {
            // Tests run from tests/NfmGen.Tests/bin/<Configuration>/<framework>/.
            var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var configuration = framework.Parent!.Name;
            return Path.Combine(RepositoryPaths.Root, "cli", "bin", configuration, framework.Name, "nfm.dll");
        }
    }

    public static Result Run(string workingDirectory, params string[] arguments) => Run(workingDirectory, new Dictionary<string, string?>(), arguments);

    /// <summary>Runs nfm with <paramref name="environment"/> set (a null value removes a variable).</summary>
    public static Result Run(string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        using var process = Start(workingDirectory, environment, arguments);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"nfm {string.Join(' ', arguments)} did not finish in {Timeout}");
        }
        return new Result(process.ExitCode, output.Result, error.Result);
    }

    public static Process Start(string workingDirectory, params string[] arguments) => Start(workingDirectory, new Dictionary<string, string?>(), arguments);

    public static Process Start(string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        start.ArgumentList.Add(ToolPath);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        return Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
    }

    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
    }
}
