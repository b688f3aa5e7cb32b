using NfmGen.Cli.Commands;
using NfmGen.Cli.Sweeps;

namespace NfmGen.Cli.Sweeps.Local;

/// <summary>
/// Runs a sweep's unfinished tasks on this machine, <c>parallel</c> child processes at a time, each
/// <c>nfm sweep run DIR --task i</c>. A stop request (Ctrl+C, SIGTERM) is forwarded to the running children: they
/// checkpoint between two steps and exit, no task starts after it, and a later run goes on from the checkpoints.
/// </summary>
internal sealed class LocalSweep(SweepFolder sweep, int parallel, int threads, TextWriter console)
{
    private readonly object gate = new();
    private readonly List<TaskProcess> running = [];
    private bool stopping;

    /// <summary>Runs every task that is not done; 0 when all are done, 130 when stopped, 1 when any failed or was left alone.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var total = sweep.Definition.TaskCount;
        var todo = new Queue<int>(Enumerable.Range(0, total).Where(index => !sweep.IsDone(index)));
        var doneBefore = total - todo.Count;
        if (todo.Count == 0)
        {
            console.WriteLine($"All {total} tasks of {sweep.Path} are done.");
            return 0;
        }
        console.WriteLine($"{todo.Count} of {total} tasks to run ({doneBefore} done), {parallel} at a time with {Threads} each; logs in {sweep.LogsPath}");

        var failed = new List<(int Index, string Why)>();
        var stopped = new List<int>();
        var done = doneBefore;
        var waits = new Dictionary<Task<int>, TaskProcess>();
        using var forward = cancellationToken.Register(StopAll);
        while (true)
        {
            lock (gate)
            {
                while (!stopping && waits.Count < parallel && todo.Count > 0)
                {
                    var index = todo.Dequeue();
                    if (HeldElsewhere(index) is { } holder)
                    {
                        failed.Add((index, holder));
                        console.WriteLine($"{Stamp} task {sweep.Number(index)} left alone: {holder}");
                        continue;
                    }
                    TaskProcess child;
                    try
                    {
                        child = TaskProcess.Start(sweep, index, threads);
                    }
                    catch (Exception error) when (error is InvalidOperationException or IOException or UnauthorizedAccessException)
                    {
                        failed.Add((index, $"could not start: {error.Message}"));
                        console.WriteLine($"{Stamp} task {sweep.Number(index)} could not start: {error.Message}");
                        continue;
                    }
                    running.Add(child);
                    waits.Add(child.WaitAsync(), child);
                    console.WriteLine($"{Stamp} task {sweep.Number(index)} started ({sweep.Definition.Task(index).Describe()}), pid {child.ProcessId}");
                }
            }
            if (waits.Count == 0)
                break;

            var finished = await Task.WhenAny(waits.Keys);
            var ended = waits[finished];
            waits.Remove(finished);
            lock (gate)
                running.Remove(ended);
            using (ended)
            {
                var exitCode = await finished;
                var record = sweep.ReadRecord(ended.Index);
                var name = $"task {sweep.Number(ended.Index)}";
                if (exitCode == 0 && record?.State == TaskState.Done)
                {
                    done++;
                    console.WriteLine($"{Stamp} {name} done in {ended.Seconds:F1} s [{done} of {total} done]");
                }
                else if (exitCode == CommandErrors.Cancelled || record?.State == TaskState.Stopped)
                {
                    stopped.Add(ended.Index);
                    console.WriteLine($"{Stamp} {name} stopped{(record?.State == TaskState.Stopped ? " at a checkpoint" : "")} after {ended.Seconds:F1} s");
                }
                else
                {
                    // The task records what ended it; a child that ended without a word (killed, crashed) has only its log.
                    var why = record is { State: TaskState.Failed, Error: { } error } && record.ProcessId == ended.ProcessId ? error
                        : "it recorded no outcome; see its log";
                    failed.Add((ended.Index, $"exit code {exitCode}: {why}"));
                    console.WriteLine($"{Stamp} {name} failed (exit code {exitCode}, log {sweep.LogPath(ended.Index)}): {why}");
                }
            }
        }

        if (stopping)
        {
            console.WriteLine($"Stopped: {done} of {total} tasks done, {stopped.Count} stopped at a checkpoint, {todo.Count} not started. "
                + $"Run 'nfm sweep local {sweep.Path}' again to go on.");
            return CommandErrors.Cancelled;
        }
        if (failed.Count == 0)
        {
            console.WriteLine($"All {total} tasks done.");
            return 0;
        }
        console.WriteLine($"{done} of {total} tasks done; {failed.Count} not done:");
        foreach (var (index, why) in failed)
            console.WriteLine($"  task {sweep.Number(index)} ({sweep.Definition.Task(index).Describe()}): {why}");
        console.WriteLine($"Their logs are in {sweep.LogsPath}; run 'nfm sweep local {sweep.Path}' again to retry them.");
        return CommandErrors.Failure;
    }

    private string Threads => threads switch { 0 => "torch's default threads", 1 => "1 thread", _ => $"{threads} threads" };

    private static string Stamp => $"[{DateTime.Now:HH:mm:ss}]";

    // Another process (a second 'sweep local', a scheduler's job on a shared folder) holds the task: not ours to run.
    private string? HeldElsewhere(int index)
    {
        try
        {
            using (sweep.LockTask(index))
                return null;
        }
        catch (InvalidOperationException busy)
        {
            return busy.Message;
        }
    }

    // Runs on the signal's thread: no task starts after this, and each running one checkpoints and stops.
    private void StopAll()
    {
        lock (gate)
        {
            if (!stopping)
                console.WriteLine($"{Stamp} stopping: {running.Count} running task(s) checkpoint and stop; no new task starts (a second Ctrl+C ends this command at once)");
            stopping = true;
            foreach (var child in running)
                child.Stop();
        }
    }
}
