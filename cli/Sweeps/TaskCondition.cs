namespace NfmGen.Cli.Sweeps;

/// <summary>
/// Where a task stands as <c>nfm sweep status</c> sees it: its recorded <see cref="TaskState"/>, except that a task
/// recorded as running whose process is gone from this machine shows as <see cref="Interrupted"/>, and one recorded as
/// done without its report as <see cref="Unevaluated"/> (not done, as <see cref="SweepFolder.IsDone"/> says).
/// </summary>
internal enum TaskCondition
{
    /// <summary>Never started.</summary>
    Pending,

    /// <summary>A process is running it (on another machine: its record says so, which this machine cannot check).</summary>
    Running,

    /// <summary>Recorded as running, but its process on this machine is gone (kill -9, a crash): run it again to resume.</summary>
    Interrupted,

    /// <summary>
    /// Recorded as pending, running or stopped under a Slurm job that Slurm says has ended, or no longer knows (cancelled
    /// by hand, a failed node, out of memory, a time limit without a requeue): nothing will run it; submit it again to
    /// resume it (<c>nfm sweep slurm --submit</c> submits it).
    /// </summary>
    Lost,

    /// <summary>Stopped between two steps with a checkpoint (Ctrl+C, a scheduler's signal); it resumes when it runs again.</summary>
    Stopped,

    /// <summary>Trained and evaluated.</summary>
    Done,

    /// <summary>Recorded as done, but its report is gone: running it again evaluates it again (its training is finished).</summary>
    Unevaluated,

    /// <summary>Ended with an error; running it again retries it.</summary>
    Failed,
}
