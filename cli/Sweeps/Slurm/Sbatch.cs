using NfmGen.Cli.Sweeps;

namespace NfmGen.Cli.Sweeps.Slurm;

/// <summary>Submits a batch script with Slurm's <c>sbatch</c>.</summary>
internal static class Sbatch
{
    /// <summary>Submits <paramref name="script"/> and returns its job id.</summary>
    /// <exception cref="InvalidOperationException">sbatch is not installed, or refused the script; the message says which, with sbatch's own words.</exception>
    public static string Submit(string script)
    {
        var result = ExternalCommand.Run("sbatch", ["--parsable", script],
            instead: $"submit from a machine with Slurm's client commands, or there run: sbatch {ShellQuoting.Word(script)}");
        if (result.ExitCode != 0)
            throw ExternalCommand.Failed($"sbatch {script}", result);
        // --parsable prints "<job id>" or "<job id>;<cluster>".
        var jobId = result.Output.Trim().Split(';')[0];
        return jobId.Length > 0 && jobId.All(char.IsAsciiDigit) ? jobId
            : throw new InvalidOperationException($"sbatch {script} printed no job id (it printed '{result.Output.Trim()}')");
    }
}
