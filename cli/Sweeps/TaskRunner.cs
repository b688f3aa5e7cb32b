using NfmGen.Cli.Commands;
using NfmGen.Cli.Sweeps;
using NfmGen.Cli.Sweeps.Slurm;
using NfmGen.Training;

namespace NfmGen.Cli.Sweeps;

/// <summary>
/// Runs one task of a sweep end to end, in this process: trains it (resuming its checkpoint, if it has one), then
/// evaluates it, recording each state in its <c>task.json</c>. A finished task returns at once; two processes given
/// the same task cannot both run it; a stop between two steps leaves a checkpoint, and requeues the task under Slurm
/// when the scheduler asked for it (SIGUSR1), up to <c>maxRequeues</c> times.
/// </summary>
internal static class TaskRunner
{
    /// <summary>Runs task <paramref name="index"/>; <paramref name="maxRequeues"/>: after so many requeues, fail it with the reason instead (null: no limit).</summary>
    public static int Run(SweepFolder sweep, int index, CancellationToken cancellationToken, int? maxRequeues = null)
    {
        var task = sweep.Definition.Task(index);
        // Checked before anything is recorded: a hand-written sweep.json with a bad option fails here, not half-way.
        var request = WithTensorBoardFolder(sweep, index, SweepArguments.ForTask(sweep.Definition, task, sweep.RunFolder(index).Path));
        using var taskLock = sweep.LockTask(index);
        var previous = sweep.ReadRecord(index);
        if (sweep.IsDone(index))
        {
            Console.WriteLine($"Task {index} ({task.Describe()}) is done: its report is {sweep.RunFolder(index).ReportPath}");
            return 0;
        }
        if (previous?.State == TaskState.Done)
            Console.WriteLine($"Task {index} ({task.Describe()}) was done, but its report {sweep.RunFolder(index).ReportPath} is gone: running it again.");

        var record = (previous ?? TaskRecord.NotStarted(task, sweep.Definition.Evaluate)) with
        {
            State = TaskState.Running,
            Attempts = (previous?.Attempts ?? 0) + 1,
            Restarts = Math.Max(previous?.Restarts ?? 0, SlurmRequeue.RestartCount),
            ExitCode = null,
            Error = null,
            Host = Environment.MachineName,
            ProcessId = Environment.ProcessId,
            UpdatedUtc = DateTimeOffset.UtcNow,
            Jobs = TaskIndex.SchedulerJob is { } job ? [.. previous?.Jobs ?? [], job] : previous?.Jobs ?? [],
            Job = TaskIndex.SchedulerJob,
        };
        // Slurm requeued this job (preempted, or after its own requeues) more often than allowed: it stops here, saying why.
        if (RequeueRefusal(SlurmRequeue.RestartCount, maxRequeues) is { } refusal)
            return Finish(sweep, record, CommandErrors.Failure, refusal, maxRequeues);
        record.Write(sweep.TaskRecordPath(index));
        Console.WriteLine($"Task {index} of {sweep.Definition.TaskCount} ({task.Describe()}), attempt {record.Attempts}, in {sweep.TaskPath(index)}");

        // The outcome is what ended the work, kept as data: the exit code and the message the command line prints.
        int exitCode;
        string? error = null;
        try
        {
            Train(sweep, request.Train, cancellationToken);
            exitCode = EvalRun.Execute(request.Evaluate, cancellationToken);
        }
        catch (Exception failure) when (CommandErrors.IsExpected(failure))
        {
            exitCode = CommandErrors.Report(failure);
            if (failure is not OperationCanceledException)
                error = CommandErrors.UserMessage(failure);
        }
        catch (Exception failure)
        {
            // Whatever ends the task, its record must not say "running" for ever.
            Finish(sweep, record, CommandErrors.Failure, failure.Message, maxRequeues);
            throw;
        }
        return Finish(sweep, record, exitCode, error, maxRequeues);
    }

    // Requeues are counted per Slurm job (SLURM_RESTART_COUNT): a resubmission starts afresh.
    private static string? RequeueRefusal(int requeues, int? maxRequeues) => maxRequeues is { } limit && requeues > limit
        ? FormattableString.Invariant(
            $"requeue {requeues} of Slurm job {SlurmRequeue.JobId}, more than --max-requeues {limit} allows (each time preempted or out of time): not run again; resubmit it with 'nfm sweep slurm --submit' (a higher --max-requeues, or a longer --time)")
        : null;

    // Each task's events in a folder of its own, named after what varies, under the sweep's tensorboard/ (or the sweep's
    // --tensorboard-dir); kept relative to the run folder when inside the sweep, which a cluster may mount elsewhere.
    private static TaskRequest WithTensorBoardFolder(SweepFolder sweep, int index, TaskRequest request)
    {
        if (request.Train.Start is not { } start)
            return request;
        var root = sweep.Definition.Task(index).Value("tensorboard-dir") is { } given ? Path.GetFullPath(given) : sweep.TensorBoardPath;
        var folder = Path.Combine(root, sweep.TaskName(index));
        var inSweep = folder.StartsWith(Path.TrimEndingDirectorySeparator(sweep.Path) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
        var stored = inSweep ? Path.GetRelativePath(request.Train.Folder, folder) : folder;
        return request with { Train = request.Train with { Start = start with { Options = start.Options with { TensorBoardFolder = stored } } } };
    }

    private static void Train(SweepFolder sweep, TrainRequest request, CancellationToken cancellationToken)
    {
        var run = new RunFolder(request.Folder);
        if (!run.HoldsRun)
        {
            TrainRun.Execute(request, cancellationToken);
            return;
        }

        // Finished means a checkpoint of the last epoch's end: the metrics of an epoch are written before its checkpoint.
        var epochs = run.ReadManifest().Options.Epochs;
        if (CheckpointProgress(run) is { Epoch: var epoch, BatchesDone: 0 } && epoch >= epochs)
        {
            Console.WriteLine($"Training finished earlier ({epochs} epochs).");
            return;
        }
        Console.WriteLine(run.HasCheckpoint
            ? $"Resuming from the checkpoint in {run.Path} ({run.ReadMetrics().Count} of {epochs} epochs finished)."
            : $"Restarting {run.Path}: it was stopped before its first checkpoint.");
        TrainRun.Execute(TrainRequest.Resume(run.Path), cancellationToken);
    }

    // The latest checkpoint's progress, or null when it is missing or damaged (the trainer's resume then falls back).
    private static TrainingProgress? CheckpointProgress(RunFolder run)
    {
        try
        {
            return File.Exists(run.CheckpointPath) ? Checkpoint.ReadHeader(run.CheckpointPath).Progress : null;
        }
        catch (Exception error) when (error is IOException or InvalidDataException)
        {
            return null;
        }
    }

    private static int Finish(SweepFolder sweep, TaskRecord record, int exitCode, string? error, int? maxRequeues)
    {
        var stopped = exitCode == CommandErrors.Cancelled;
        var ended = record with
        {
            State = exitCode == 0 ? TaskState.Done : stopped ? TaskState.Stopped : TaskState.Failed,
            ExitCode = exitCode,
            Error = exitCode == 0 || stopped ? null : error ?? $"exit code {exitCode}",
            UpdatedUtc = DateTimeOffset.UtcNow,
        };
        if (stopped && StopRequest.RequeueAsked && SlurmRequeue.JobId is not null && RequeueRefusal(SlurmRequeue.RestartCount + 1, maxRequeues) is { } refusal)
            ended = ended with { State = TaskState.Failed, ExitCode = CommandErrors.Failure, Error = refusal };
        if (!(ended.State == TaskState.Stopped && StopRequest.RequeueAsked && SlurmRequeue.JobId is not null))
        {
            ended.Write(sweep.TaskRecordPath(record.Index));
            Console.WriteLine($"Task {record.Index}: {ended.State.ToString().ToLowerInvariant()}{(ended.Error is null ? "" : $" ({ended.Error})")}.");
            return exitCode;
        }

        // The scheduler's time limit is near: the checkpoint is written; ask Slurm to run this task again later.
        // Recorded and said first: Slurm ends this process as soon as it takes the request.
        (ended with { Restarts = ended.Restarts + 1 }).Write(sweep.TaskRecordPath(record.Index));
        Console.WriteLine($"Task {record.Index}: stopped at a checkpoint; requeuing it as Slurm job {SlurmRequeue.JobId}, to resume from the checkpoint when it starts again.");
        try
        {
            SlurmRequeue.Requeue();
        }
        catch (InvalidOperationException requeueError)
        {
            // Nothing will run it again: say so, as a failure a person must look at.
            (ended with { State = TaskState.Failed, ExitCode = CommandErrors.Failure, Error = requeueError.Message }).Write(sweep.TaskRecordPath(record.Index));
            throw;
        }
        return exitCode;
    }
}
