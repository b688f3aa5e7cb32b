using System.Globalization;

namespace NfmGen.Cli.Sweeps;

/// <summary>Which task a process runs: <c>--task</c>, else its Slurm array index, else its Kubernetes completion index.</summary>
internal static class TaskIndex
{
    /// <summary>Slurm's index of an array task.</summary>
    public const string SlurmVariable = "SLURM_ARRAY_TASK_ID";

    /// <summary>Kubernetes' index of a pod of an Indexed Job.</summary>
    public const string KubernetesVariable = "JOB_COMPLETION_INDEX";

    /// <summary>
    /// The scheduler's id of this process's job, as a task record keeps it: a Slurm array task's <c>ARRAYJOB_TASK</c>
    /// (or a plain job's id), or <c>pod/NAME</c> in a Kubernetes pod (its host name); null outside both.
    /// </summary>
    public static string? SchedulerJob =>
        Slurm.SlurmRequeue.JobId
        ?? (Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST") is { Length: > 0 } && Environment.GetEnvironmentVariable(KubernetesVariable) is { Length: > 0 }
            ? $"pod/{Environment.MachineName}" : null);

    /// <summary>
    /// The task index from <paramref name="given"/>, else from the scheduler's variables; with <paramref name="tasks"/>
    /// (a Kubernetes Job of some tasks only), the scheduler's index picks one of them: index i runs <c>tasks[i]</c>.
    /// </summary>
    /// <exception cref="ArgumentException">None is set, a variable is not a whole number, or the index is beyond <paramref name="tasks"/>; the message names it.</exception>
    public static int Resolve(int? given, IReadOnlyList<int>? tasks = null)
    {
        if (given is { } index)
            return index;
        if (tasks is not null)
        {
            var position = Resolve(null);
            return position < tasks.Count ? tasks[position]
                : throw new ArgumentException($"the scheduler's index {position} is beyond the {tasks.Count} tasks of --tasks {IndexRanges.Format(tasks)}");
        }
        foreach (var variable in (string[])[SlurmVariable, KubernetesVariable])
        {
            if (Environment.GetEnvironmentVariable(variable) is not { Length: > 0 } text)
                continue;
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new ArgumentException($"{variable} must be a task index, a whole number (was '{text}')");
        }
        throw new ArgumentException($"which task? Give --task, or run under a scheduler that sets {SlurmVariable} (Slurm job arrays) or {KubernetesVariable} (Kubernetes Indexed Jobs)");
    }
}
