using System.Globalization;
using NfmGen.Cli.Sweeps;

namespace NfmGen.Cli.Sweeps.Slurm;

/// <summary>
/// Asks Slurm to requeue the job this process runs in. An array task is requeued by its own id,
/// <c>&lt;array job id&gt;_&lt;task id&gt;</c>: with the plain job id Slurm would requeue another task of the array.
/// </summary>
internal static class SlurmRequeue
{
    /// <summary>How many times Slurm has restarted this job (0 on its first run, or outside Slurm).</summary>
    public static int RestartCount =>
        int.TryParse(Environment.GetEnvironmentVariable("SLURM_RESTART_COUNT"), NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? count : 0;

    /// <summary>This job's id as <c>scontrol requeue</c> wants it, or null outside Slurm.</summary>
    public static string? JobId =>
        (Environment.GetEnvironmentVariable("SLURM_ARRAY_JOB_ID"), Environment.GetEnvironmentVariable("SLURM_ARRAY_TASK_ID"), Environment.GetEnvironmentVariable("SLURM_JOB_ID")) switch
        {
            ({ Length: > 0 } array, { Length: > 0 } task, _) => $"{array}_{task}",
            (_, _, { Length: > 0 } job) => job,
            _ => null,
        };

    /// <summary>Runs <c>scontrol requeue</c> for this job.</summary>
    /// <exception cref="InvalidOperationException">Not inside a Slurm job, or scontrol failed; the message says which and how.</exception>
    public static string Requeue()
    {
        var job = JobId ?? throw new InvalidOperationException("asked to requeue, but this process is not a Slurm job (no SLURM_JOB_ID)");
        var result = ExternalCommand.Run("scontrol", ["requeue", job], instead: "the task stays stopped at its checkpoint; run it again by hand");
        return result.ExitCode == 0 ? job : throw ExternalCommand.Failed($"scontrol requeue {job}", result);
    }
}
