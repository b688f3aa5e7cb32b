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
        // Asked before the records are read: a task that ends in between is then read as done, never as lost.
        var queue = askScheduler && submissions.Count > 0 ? SlurmQueue.Ask([.. submissions.Select(submission => submission.Job).Distinct()]) : null;
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
        // The job Slurm runs it under: the one its record names, else the latest array that holds it. A task stopped at a
        // checkpoint under a job that has ended (scancel's SIGTERM) is lost too: no job will resume it; one that requeued
        // itself has a live job, and stays stopped until it starts again.
        var job = condition switch
        {
            TaskCondition.Running => record?.Jobs.LastOrDefault() ?? SlurmSubmissions.JobOf(submissions, task.Index),
            TaskCondition.Pending => SlurmSubmissions.JobOf(submissions, task.Index),
            TaskCondition.Stopped => record?.Jobs.LastOrDefault(),
            _ => null,
        };
        var scheduler = job is null || queue is null ? null : queue.Find(job);
        if (scheduler is not null)
            condition = !scheduler.IsLive ? TaskCondition.Lost
                : condition == TaskCondition.Stopped ? condition
                : scheduler.State == "PENDING" ? TaskCondition.Pending : TaskCondition.Running;
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
            scheduler is { IsLive: true });
    }

    private static int Epochs(RunFolder run, SweepTask task)
    {
        if (run.HoldsRun)
            return run.ReadManifest().Options.Epochs;
        return int.TryParse(task.Value("epochs"), NumberStyles.None, CultureInfo.InvariantCulture, out var epochs) ? epochs : new TrainingOptions().Epochs;
    }
}
