using System.Globalization;
using NfmGen.Cli.Sweeps.Slurm;
using NfmGen.Training;
using static System.FormattableString;

namespace NfmGen.Cli.Sweeps;

/// <summary>
/// Where a sweep stands: each task's <see cref="TaskProgress"/>, the count of tasks in each condition, and an estimate of
/// the training left from the seconds its finished epochs took.
/// </summary>
internal sealed class SweepStatus
{
    private SweepStatus(SweepFolder sweep, IReadOnlyList<TaskProgress> tasks)
    {
        Sweep = sweep;
        Tasks = tasks;
        EpochsMeasured = tasks.Sum(task => task.EpochsDone);
        SecondsPerEpoch = EpochsMeasured == 0 ? null : tasks.Sum(task => task.SecondsMeasured) / EpochsMeasured;
    }

    /// <summary>The sweep.</summary>
    public SweepFolder Sweep { get; }

    /// <summary>Every task, by index.</summary>
    public IReadOnlyList<TaskProgress> Tasks { get; }

    /// <summary>How many tasks are in each condition, in the order of <see cref="TaskCondition"/>, leaving out conditions no task is in.</summary>
    public IReadOnlyList<KeyValuePair<TaskCondition, int>> Totals =>
        [.. Enum.GetValues<TaskCondition>().Select(condition => KeyValuePair.Create(condition, Tasks.Count(task => task.Condition == condition))).Where(total => total.Value > 0)];

    /// <summary>The finished epochs of the whole sweep.</summary>
    public int EpochsMeasured { get; }

    /// <summary>The mean wall seconds of the sweep's finished epochs; null when no epoch has finished.</summary>
    public double? SecondsPerEpoch { get; }

    /// <summary>The epochs still to train, over every task not done.</summary>
    public int EpochsLeft => Tasks.Sum(task => task.EpochsLeft);

    /// <summary>
    /// <see cref="EpochsLeft"/> times <see cref="SecondsPerEpoch"/>: the training time left for one task at a time; null
    /// when no epoch has been measured. An estimate: tasks of one sweep may differ in cost (models, widths), and the
    /// final evaluation of each task is not counted.
    /// </summary>
    public double? SecondsLeft => SecondsPerEpoch * EpochsLeft;

    /// <summary>
    /// Why Slurm could not be asked about a sweep submitted to it (<see cref="SlurmQueue.Unavailable"/>), so that the
    /// status is the folder's view alone; null when it was asked, or the sweep was never submitted to Slurm from here.
    /// </summary>
    public string? SchedulerUnavailable { get; private init; }

    /// <summary>
    /// The tasks to submit again: not done, and not running or queued (as far as the folder and Slurm tell), with what
    /// was left out, e.g. "3 of 20: 16 done, 1 queued or running". Where Slurm could not be asked, a warning says so.
    /// </summary>
    public (IReadOnlyList<int> Tasks, string Why) Unfinished()
    {
        if (SchedulerUnavailable is { } unavailable)
            Console.Error.WriteLine($"warning: could not ask Slurm ({unavailable}); tasks the folder says are running are left out");
        var tasks = Tasks.Where(task => task.Condition is not (TaskCondition.Done or TaskCondition.Running) && !task.Queued).Select(task => task.Task.Index).ToList();
        var done = Tasks.Count(task => task.Condition == TaskCondition.Done);
        return (tasks, Invariant($"{tasks.Count} of {Tasks.Count}: {done} done, {Tasks.Count - done - tasks.Count} queued or running"));
    }

    /// <summary>
    /// Reads the state of every task of <paramref name="sweep"/> from its records and run folders; for a sweep submitted to
    /// Slurm (<see cref="SlurmSubmissions"/>), first asks Slurm about its jobs, once, so that a task the folder says is
    /// pending or running shows <see cref="TaskCondition.Lost"/> when its job is gone, and the scheduler's reason when queued.
    /// </summary>
    /// <exception cref="InvalidDataException">A task record or a metrics log is damaged; the message names the file.</exception>
    public static SweepStatus Read(SweepFolder sweep, bool askScheduler = true)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        var submissions = SlurmSubmissions.Read(sweep);
        // Asked before the records are read again: a task that ends in between is then read as done, never as lost. The
        // arrays asked about: those submitted from here, and those the records name (a script submitted by hand).
        var recorded = askScheduler ? sweep.Definition.Tasks().Select(task => sweep.ReadRecord(task.Index)?.Job).OfType<string>() : [];
        var arrays = submissions.Select(submission => submission.Job).Concat(recorded.Select(job => job.Split('_')[0]).Where(array => array.All(char.IsAsciiDigit)))
            .Distinct(StringComparer.Ordinal).ToList();
        var queue = askScheduler && arrays.Count > 0 ? SlurmQueue.Ask(arrays) : null;
        var view = queue is { Unavailable: null } ? queue : null;
        return new SweepStatus(sweep, [.. sweep.Definition.Tasks().Select(task => Progress(sweep, task, submissions, view))])
        {
            SchedulerUnavailable = queue?.Unavailable,
        };
    }

    private static TaskProgress Progress(SweepFolder sweep, SweepTask task, IReadOnlyList<SlurmSubmission> submissions, SlurmQueue? queue)
    {
        var record = sweep.ReadRecord(task.Index);
        var run = sweep.RunFolder(task.Index);
        var metrics = run.ReadMetrics();
        var condition = record?.State switch
        {
            null or TaskState.Pending => TaskCondition.Pending,
            TaskState.Running => record.ProcessIsGone() ? TaskCondition.Interrupted : TaskCondition.Running,
            TaskState.Stopped => TaskCondition.Stopped,
            TaskState.Done => sweep.IsDone(task.Index) ? TaskCondition.Done : TaskCondition.Unevaluated,
            _ => TaskCondition.Failed,
        };
        var (scheduler, live) = queue is null ? (null, false) : Scheduled(record, task.Index, submissions, queue);
        // A done task stays done whatever Slurm holds (its job may still be exiting; a second job returns at once).
        if (live)
            condition = condition is TaskCondition.Done or TaskCondition.Stopped ? condition : scheduler!.IsRunning ? TaskCondition.Running : TaskCondition.Pending;
        else if (scheduler is not null && condition is TaskCondition.Running or TaskCondition.Pending or TaskCondition.Stopped)
            condition = TaskCondition.Lost;
        return new TaskProgress(
            task,
            condition,
            record?.Restarts ?? 0,
            metrics.Count == 0 ? 0 : metrics[^1].Epoch,
            Epochs(run, task),
            metrics.LastOrDefault(epoch => epoch.TestAccuracy is not null)?.TestAccuracy,
            condition == TaskCondition.Failed ? record?.Error : null,
            metrics.Sum(epoch => epoch.Seconds),
            scheduler,
            live);
    }

    /// <summary>
    /// What Slurm says of the task, and whether Slurm still holds a job for it: its latest attempt's job (when that ran
    /// under Slurm), or a job submitted after its record was written (a task that failed, was lost or never started, and
    /// was submitted again). A live one of them wins; else the one that decides whether the folder's pending, running or
    /// stopped task is lost: its attempt's job, or, for a task that never started, the array it was submitted in. The
    /// attempt's job of a task recorded as done has ended its work: still running, it is only exiting, so it does not
    /// count (requeued, it waits to run again, and does). A failed task's running job may be a requeue already running
    /// again, so it counts.
    /// </summary>
    private static (SlurmJobState? Scheduler, bool Live) Scheduled(TaskRecord? record, int index, IReadOnlyList<SlurmSubmission> submissions, SlurmQueue queue)
    {
        var attempt = record?.Job is { } job ? queue.Find(job) : null;
        if (record?.State is TaskState.Done && attempt is { IsRunning: true })
            attempt = null;
        var submitted = submissions.LastOrDefault(submission => submission.Tasks.Contains(index) && (record is null || submission.SubmittedUtc > record.UpdatedUtc)) is { } latest
            ? queue.Find($"{latest.Job}_{index}")
            : null;
        if (new[] { submitted, attempt }.FirstOrDefault(state => state is { IsLive: true }) is { } held)
            return (held, true);
        return (record is null ? submitted : attempt, false);
    }

    private static int Epochs(RunFolder run, SweepTask task)
    {
        if (run.HoldsRun)
            return run.ReadManifest().Options.Epochs;
        return int.TryParse(task.Value("epochs"), NumberStyles.None, CultureInfo.InvariantCulture, out var epochs) ? epochs : new TrainingOptions().Epochs;
    }
}
