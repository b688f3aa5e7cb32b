using System.ComponentModel;
using System.Diagnostics;

namespace NfmGen.Cli.Sweeps;

/// <summary>
/// The one way the sweeps start another program (<c>sbatch</c>, <c>scontrol</c>, a task's <c>nfm</c>): a program that
/// cannot be started is named in the error, with what to do instead; <see cref="Run"/> waits for its exit code and
/// keeps its standard output and error.
/// </summary>
internal static class ExternalCommand
{
    /// <summary>How a program ended: its exit code and what it wrote.</summary>
    public sealed record Result(int ExitCode, string Output, string Error);

    /// <summary>Starts <paramref name="process"/>.</summary>
    /// <param name="process">The process, with its start info (and any output handlers) set.</param>
    /// <param name="instead">What the user can do when the program cannot be started, or null.</param>
    /// <exception cref="InvalidOperationException">The program could not be started; the message names it and says why.</exception>
    public static void Start(Process process, string? instead = null)
    {
        try
        {
            if (!process.Start())
                throw new InvalidOperationException($"could not start {process.StartInfo.FileName}");
        }
        catch (Win32Exception error)
        {
            throw new InvalidOperationException(
                $"could not run {process.StartInfo.FileName} ({error.Message}){(instead is null ? "" : ": " + instead)}", error);
        }
    }

    /// <summary>
    /// Runs <paramref name="program"/> with <paramref name="arguments"/> to its end (its standard input closed), with
    /// <paramref name="environment"/>'s variables set; after <paramref name="timeout"/> (when given) it is killed, and
    /// the result says so with exit code -1.
    /// </summary>
    /// <exception cref="InvalidOperationException">The program could not be started (see <see cref="Start"/>).</exception>
    public static Result Run(string program, IEnumerable<string> arguments, string? instead = null, TimeSpan? timeout = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        using var process = new Process { StartInfo = start };
        Start(process, instead);
        process.StandardInput.Close();
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? Timeout.InfiniteTimeSpan))
        {
            process.Kill(entireProcessTree: true);
            return new Result(-1, "", $"{program} did not answer within {timeout!.Value.TotalSeconds:0} s, and was stopped");
        }
        process.WaitForExit();
        return new Result(process.ExitCode, output.Result, error.Result);
    }

    /// <summary>The program's failure as an error: <c>{what} failed with exit code {code}: {its standard error}</c>.</summary>
    public static InvalidOperationException Failed(string what, Result result) =>
        new($"{what} failed with exit code {result.ExitCode}: {result.Error.Trim()}");
}
