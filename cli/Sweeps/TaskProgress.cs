using NfmGen.Cli.Sweeps.Slurm;

namespace NfmGen.Cli.Sweeps;

/// <summary>How far one task of a sweep has come: its condition, its epochs, its last test accuracy, its time so far.</summary>
/// <param name="Task">The task.</param>
/// <param name="Condition">Where it stands.</param>
/// <param name="Restarts">How often its scheduler requeued or restarted it.</param>
/// <param name="EpochsDone">Its finished epochs, from its run folder's <c>metrics.jsonl</c>.</param>
/// <param name="Epochs">Its epochs in all: its run's <c>run.json</c>, else its <c>epochs</c> option, else <c>nfm train</c>'s default.</param>
/// <param name="TestAccuracy">The clean test accuracy of its last epoch that measured one, in [0, 1]; null before.</param>
/// <param name="Error">Why it failed, when it did.</param>
/// <param name="SecondsMeasured">The wall seconds of its finished epochs, added up (evaluation during training included).</param>
/// <param name="Scheduler">What its scheduler says of its job (state, reason, source), when it was asked; null otherwise.</param>
/// <param name="Queued">Whether its scheduler holds a live job for it (queued or running): submitting it again would run it twice.</param>
internal sealed record TaskProgress(
    SweepTask Task,
    TaskCondition Condition,
    int Restarts,
    int EpochsDone,
    int Epochs,
    double? TestAccuracy,
    string? Error,
    double SecondsMeasured,
    SlurmJobState? Scheduler = null,
    bool Queued = false)
{
    /// <summary>The epochs still to train: none for a finished task, else the epochs not yet done (a failed task's too: running it again retries it).</summary>
    public int EpochsLeft => Condition == TaskCondition.Done ? 0 : Math.Max(0, Epochs - EpochsDone);
}
