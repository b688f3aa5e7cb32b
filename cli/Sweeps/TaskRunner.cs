using System.CommandLine;
using NfmGen.Cli.Commands;
using NfmGen.Sweeps;

namespace NfmGen.Cli.Sweeps;

/// <summary>
/// Runs one task of a sweep end to end, in this process: trains it (resuming its checkpoint, if it has one), then
/// evaluates it, recording each state in its <c>task.json</c>. A finished task returns at once; two processes given
/// the same task cannot both run it; a stop between two steps leaves a checkpoint, and requeues the task under Slurm
/// when the scheduler asked for it (SIGUSR1).
/// </summary>
internal static class TaskRunner
{
    public static int Run(SweepFolder sweep, int index, CancellationToken cancellationToken)
    {
        var task = sweep.Definition.Task(index);
        using var taskLock = sweep.LockTask(index);
        var previous = sweep.ReadRecord(index);
        if (previous?.State == TaskState.Done)
        {
            Console.WriteLine($"Task {index} ({task.Describe()}) is done: its report is {sweep.RunFolder(index).ReportPath}");
            return 0;
        }

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
        };
        record.Write(sweep.TaskRecordPath(index));
        Console.WriteLine($"Task {index} of {sweep.Definition.TaskCount} ({task.Describe()}), attempt {record.Attempts}, in {sweep.TaskPath(index)}");

        using var errors = new ErrorTee();
        var exitCode = Train(sweep, task, cancellationToken);
        if (exitCode == 0)
            exitCode = Evaluate(sweep, index, cancellationToken);
        var error = errors.LastLine is { } line && line.StartsWith(CommandErrors.ErrorPrefix, StringComparison.Ordinal) ? line[CommandErrors.ErrorPrefix.Length..] : errors.LastLine;
        errors.Dispose();
        return Finish(sweep, record, exitCode, error);
    }

    private static int Train(SweepFolder sweep, SweepTask task, CancellationToken cancellationToken)
    {
        var run = sweep.RunFolder(task.Index);
        if (!run.HoldsRun)
            return Invoke(TrainCommand.Create(), [.. SweepArguments.Train(task.TrainOptions), "--run", run.Path], cancellationToken);

        var epochs = run.ReadManifest().Options.Epochs;
        var finished = run.ReadMetrics().Count;
        if (finished >= epochs)
        {
            Console.WriteLine($"Training finished earlier ({finished} of {epochs} epochs).");
            return 0;
        }
        Console.WriteLine(run.HasCheckpoint
            ? $"Resuming from the checkpoint in {run.Path} ({finished} of {epochs} epochs finished)."
            : $"Restarting {run.Path}: it was stopped before its first checkpoint.");
        return Invoke(TrainCommand.Create(), ["--resume", "--run", run.Path], cancellationToken);
    }

    private static int Evaluate(SweepFolder sweep, int index, CancellationToken cancellationToken) =>
        Invoke(EvalCommand.Create(), [.. SweepArguments.Evaluate(sweep.Definition.Evaluate), "--run", sweep.RunFolder(index).Path], cancellationToken);

    private static int Invoke(Command command, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        new RootCommand { command }.Parse([command.Name, .. arguments])
            .InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, cancellationToken).GetAwaiter().GetResult();

    private static int Finish(SweepFolder sweep, TaskRecord record, int exitCode, string? error)
    {
        var stopped = exitCode == CommandErrors.Cancelled;
        var ended = record with
        {
            State = exitCode == 0 ? TaskState.Done : stopped ? TaskState.Stopped : TaskState.Failed,
            ExitCode = exitCode,
            Error = exitCode == 0 || stopped ? null : error ?? $"exit code {exitCode}",
            UpdatedUtc = DateTimeOffset.UtcNow,
        };
        if (!(stopped && StopRequest.RequeueAsked && SlurmRequeue.JobId is not null))
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
            (ended with { Error = requeueError.Message }).Write(sweep.TaskRecordPath(record.Index));
            throw;
        }
        return exitCode;
    }
}
