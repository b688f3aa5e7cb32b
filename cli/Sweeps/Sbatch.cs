using System.ComponentModel;
using System.Diagnostics;

namespace NfmGen.Cli.Sweeps;

/// <summary>Submits a batch script with Slurm's <c>sbatch</c>.</summary>
internal static class Sbatch
{
    /// <summary>Submits <paramref name="script"/> and returns its job id.</summary>
    /// <exception cref="InvalidOperationException">sbatch is not installed, or refused the script; the message says which, with sbatch's own words.</exception>
    public static string Submit(string script)
    {
        var start = new ProcessStartInfo("sbatch") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("--parsable");
        start.ArgumentList.Add(script);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("could not start sbatch");
        }
        catch (Win32Exception error)
        {
            throw new InvalidOperationException($"could not run sbatch ({error.Message}): submit from a machine with Slurm's client commands, "
                + $"or there run: sbatch {ShellQuoting.Word(script)}", error);
        }
        using (process)
        {
            var errors = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"sbatch {script} failed with exit code {process.ExitCode}: {errors.Result.Trim()}");
            // --parsable prints "<job id>" or "<job id>;<cluster>".
            var jobId = output.Trim().Split(';')[0];
            return jobId.Length > 0 && jobId.All(char.IsAsciiDigit) ? jobId
                : throw new InvalidOperationException($"sbatch {script} printed no job id (it printed '{output.Trim()}')");
        }
    }
}
