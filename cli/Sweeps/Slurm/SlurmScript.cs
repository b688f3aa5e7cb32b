using System.Globalization;
using System.Text;
using NfmGen.Cli.Sweeps;

namespace NfmGen.Cli.Sweeps.Slurm;

/// <summary>What a sweep's Slurm job array asks for, beyond one array task per sweep task.</summary>
/// <param name="NfmCommand">The shell text that starts <c>nfm</c> on the cluster's nodes, such as <c>/opt/nfm/nfm</c>.</param>
/// <param name="Partition">The partition, or null for the cluster's default.</param>
/// <param name="Time">Each task's time limit in Slurm's format (<c>1-00:00:00</c>), or null for the partition's.</param>
/// <param name="Gpus">GPUs per task (0: none asked for).</param>
/// <param name="CpusPerTask">CPUs per task, also the task's torch threads; null for Slurm's default and torch's.</param>
/// <param name="MaxParallel">At most this many tasks at once (the array's <c>%K</c> throttle), or null for no limit.</param>
/// <param name="SignalSeconds">How long before its time limit a task gets <paramref name="Signal"/> to checkpoint and requeue itself.</param>
/// <param name="ExtraDirectives">More sbatch options, each written as one <c>#SBATCH</c> line as given.</param>
/// <param name="Signal">The warning's signal: USR1 or USR2 (a cluster may keep one for itself).</param>
/// <param name="MaxRequeues">After this many requeues a task is recorded as failed with the reason, not run again; null: no limit.</param>
internal sealed record SlurmArraySettings(
    string NfmCommand,
    string? Partition = null,
    string? Time = null,
    int Gpus = 0,
    int? CpusPerTask = null,
    int? MaxParallel = null,
    int SignalSeconds = SlurmArraySettings.DefaultSignalSeconds,
    IReadOnlyList<string>? ExtraDirectives = null,
    string Signal = SlurmArraySettings.DefaultSignal,
    int? MaxRequeues = SlurmArraySettings.DefaultMaxRequeues)
{
    /// <summary>The signals a task takes as the warning before its time limit.</summary>
    public static readonly IReadOnlyList<string> Signals = ["USR1", "USR2"];

    /// <summary>The default warning signal.</summary>
    public const string DefaultSignal = "USR1";

    /// <summary>The default limit of requeues per task (submitit stops after 3 timeouts too).</summary>
    public const int DefaultMaxRequeues = 3;

    /// <summary>The default lead of the signal before the time limit: long enough to finish a step and write a checkpoint.</summary>
    public const int DefaultSignalSeconds = 120;
}

/// <summary>
/// Writes a sweep's Slurm job-array script: one array task per sweep task asked for (its array index is the task's
/// index), each running <c>nfm sweep run DIR</c>, which takes its index from <c>SLURM_ARRAY_TASK_ID</c>. The tasks may be requeued, are warned with SIGUSR1 (or SIGUSR2) before their time
/// limit, and append to their own log, <c>logs/NNN.log</c>, across restarts.
/// </summary>
internal static class SlurmScript
{
    /// <summary>The script's text for the tasks <paramref name="tasks"/> of <paramref name="sweep"/> (null: every task).</summary>
    /// <exception cref="ArgumentException">A setting or the folder's path cannot be written into a batch script, or a task is not the sweep's; the message names it.</exception>
    public static string Text(SweepFolder sweep, SlurmArraySettings settings, IReadOnlyList<int>? tasks = null)
    {
        Check(sweep, settings);
        tasks ??= [.. Enumerable.Range(0, sweep.Definition.TaskCount)];
        if (tasks.Any(task => task < 0 || task >= sweep.Definition.TaskCount))
            throw new ArgumentException($"the sweep has tasks 0 to {sweep.Definition.TaskCount - 1} (asked for {IndexRanges.Format(tasks)})", nameof(tasks));
        var array = IndexRanges.Format(tasks);
        var name = System.IO.Path.GetFileName(sweep.Path) is { Length: > 0 } folder ? folder : "nfm-sweep";
        var throttle = settings.MaxParallel is { } parallel ? $"%{parallel.ToString(CultureInfo.InvariantCulture)}" : "";
        // A '%' of the folder's own path is doubled, so that Slurm reads it as itself and only %Na as the task's number
        // (NUL, which no path holds, marks the number's place).
        var logs = sweep.LogPathFor("\0").Replace("%", "%%", StringComparison.Ordinal)
            .Replace("\0", $"%{sweep.IndexWidth.ToString(CultureInfo.InvariantCulture)}a", StringComparison.Ordinal);
        var threads = settings.CpusPerTask is { } cpus ? $" --threads {cpus.ToString(CultureInfo.InvariantCulture)}" : "";
        var requeues = settings.MaxRequeues is { } limit ? $" --max-requeues {limit.ToString(CultureInfo.InvariantCulture)}" : "";

        var text = new StringBuilder();
        text.Append($"""
            #!/bin/bash
            # Written by 'nfm sweep slurm' for the sweep in {sweep.Path} ({sweep.Definition.TaskCount} tasks): one array task per sweep task,
            # for tasks {array} ({tasks.Count} of {sweep.Definition.TaskCount}).
            # Submit it with: sbatch {ShellQuoting.Word(sweep.SlurmScriptPath)}
            #
            # --requeue: a task that was preempted, or that asked for it, runs again and resumes from its checkpoint{(settings.MaxRequeues is { } most ? $" (at most {most} times; then it is recorded as failed, saying why)" : "")}.
            # --signal=B:{settings.Signal}@{settings.SignalSeconds}: {settings.SignalSeconds} s before the time limit (and at preemption, where the cluster is set so) Slurm sends SIG{settings.Signal}
            #   to this batch shell; nfm then checkpoints between two steps and requeues its own array task.
            # --open-mode=append with %{sweep.IndexWidth}a: each task writes logs/NNN.log, the same file across its restarts.
            #SBATCH --job-name={ShellQuoting.SbatchValue(name)}
            #SBATCH --array={array}{throttle}
            #SBATCH --requeue
            #SBATCH --signal=B:{settings.Signal}@{settings.SignalSeconds}
            #SBATCH --open-mode=append
            #SBATCH --output={ShellQuoting.SbatchValue(logs)}

            """);
        if (settings.Partition is { } partition)
            text.Append($"#SBATCH --partition={ShellQuoting.SbatchValue(partition)}\n");
        if (settings.Time is { } time)
            text.Append($"#SBATCH --time={ShellQuoting.SbatchValue(time)}\n");
        if (settings.Gpus > 0)
            text.Append($"#SBATCH --gpus={settings.Gpus}\n");
        if (settings.CpusPerTask is { } cpusPerTask)
            text.Append($"#SBATCH --cpus-per-task={cpusPerTask}\n");
        foreach (var directive in settings.ExtraDirectives ?? [])
            text.Append($"#SBATCH {directive}\n");
        text.Append($"""

            # exec: nfm replaces this shell, so that the signal Slurm sends the batch shell reaches nfm itself. A shell that
            # waited for nfm as its child would keep the signal to itself until nfm had ended, and the time limit would kill
            # the task without a checkpoint.
            exec {settings.NfmCommand} sweep run {ShellQuoting.Word(sweep.Path)}{threads}{requeues}

            """);
        return text.ToString();
    }

    private static void Check(SweepFolder sweep, SlurmArraySettings settings)
    {
        // Slurm reads a backslash in --output as "no % patterns here": the logs would all go to one file named %3a.log.
        if (sweep.Path.Contains('\\', StringComparison.Ordinal) || sweep.Path.Contains('\n', StringComparison.Ordinal))
            throw new ArgumentException($"the sweep folder's path cannot hold a backslash or a line break under Slurm (was {sweep.Path}); move the sweep");
        SingleLine("--nfm", settings.NfmCommand);
        SingleLine("--partition", settings.Partition);
        SingleLine("--time", settings.Time);
        if (!SlurmArraySettings.Signals.Contains(settings.Signal))
            throw new ArgumentException($"--signal must be one of {string.Join(", ", SlurmArraySettings.Signals)} (was '{settings.Signal}')");
        foreach (var directive in settings.ExtraDirectives ?? [])
            SingleLine("--sbatch", directive);
    }

    private static void SingleLine(string option, string? value)
    {
        if (value is null)
            return;
        if (string.IsNullOrWhiteSpace(value) || value.Contains('\n', StringComparison.Ordinal) || value.Contains('\r', StringComparison.Ordinal))
            throw new ArgumentException($"{option} must be one line of text, not empty (was '{value}')");
    }
}
