using System.CommandLine;
using NfmGen.Cli.Commands;
using NfmGen.Cli.Sweeps;

namespace NfmGen.Cli.Sweeps.Commands;

/// <summary><c>nfm sweep run</c>: one task of a sweep, end to end; what a Slurm array task or a Kubernetes pod runs.</summary>
internal static class SweepRunCommand
{
    public static Command Create()
    {
        var folder = SweepCommand.FolderArgument();
        var task = new Option<int?>("--task") { Description = $"The task's index (default: ${TaskIndex.SlurmVariable}, else ${TaskIndex.KubernetesVariable})." };
        var threads = new Option<int>("--threads") { Description = "CPU threads of this task's tensor work (0: torch's default, all cores).", DefaultValueFactory = _ => 0 }.AtLeast(0);
        var maxRequeues = new Option<int?>("--max-requeues")
        {
            Description = "Under Slurm: after this many requeues (preemptions, time limits) the task is recorded as failed with the reason, not requeued or run again (default: no limit).",
        }.AtLeast(0);
        var tasks = new Option<string?>("--tasks")
        {
            Description = $"Run the N-th of these tasks, such as 3,7,12-15, where N is ${TaskIndex.KubernetesVariable} or ${TaskIndex.SlurmVariable} (a Kubernetes Job of the unfinished tasks only).",
        };
        var command = new Command("run", "Run one task: train it (resuming its checkpoint if it has one), then evaluate it. A finished task exits 0 at once; "
            + "SIGINT/SIGTERM checkpoint and stop; SIGUSR1 or SIGUSR2 (Slurm's warning before a time limit) checkpoints and requeues the task.")
        {
            folder, task, threads, maxRequeues, tasks,
        };
        command.SetAction((result, cancellationToken) => Task.FromResult(CommandErrors.Run(() =>
        {
            PosixSignals.LeaveTerminalGroupIfForwarded();
            var sweep = SweepFolder.Open(result.GetValue(folder)!);
            var index = TaskIndex.Resolve(result.GetValue(task), result.GetValue(tasks) is { } list ? IndexRanges.Parse(list) : null);
            if (result.GetValue(threads) is > 0 and var count)
                TorchSharp.torch.set_num_threads(count);
            return TaskRunner.Run(sweep, index, cancellationToken, result.GetValue(maxRequeues));
        })));
        return command;
    }
}
