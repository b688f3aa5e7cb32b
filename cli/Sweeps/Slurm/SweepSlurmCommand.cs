using System.CommandLine;
using NfmGen.Cli.Commands;
using NfmGen.Cli.Sweeps;
using NfmGen.Cli.Sweeps.Commands;

namespace NfmGen.Cli.Sweeps.Slurm;

/// <summary><c>nfm sweep slurm</c>: writes the sweep's Slurm job-array script and, with <c>--submit</c>, submits it.</summary>
internal static class SweepSlurmCommand
{
    public static Command Create()
    {
        var folder = SweepCommand.FolderArgument();
        var submit = new Option<bool>("--submit") { Description = "Also submit the script with sbatch, and print the job id." };
        var partition = new Option<string?>("--partition") { Description = "The Slurm partition (default: the cluster's)." };
        var time = new Option<string?>("--time") { Description = "Each task's time limit, in Slurm's format such as 1-00:00:00 (default: the partition's)." };
        var gpus = new Option<int>("--gpus") { Description = "GPUs per task.", DefaultValueFactory = _ => 0 }.AtLeast(0);
        var cpusPerTask = new Option<int>("--cpus-per-task") { Description = "CPUs per task, also its torch threads (0: Slurm's default, and torch's).", DefaultValueFactory = _ => 0 }.AtLeast(0);
        var maxParallel = new Option<int>("--max-parallel") { Description = "At most K tasks at once: the array's %K throttle (0: no limit).", DefaultValueFactory = _ => 0 }.AtLeast(0);
        var signalBefore = new Option<int>("--signal-before") { Description = "Seconds before its time limit that a task gets --signal to checkpoint and requeue itself.", DefaultValueFactory = _ => SlurmArraySettings.DefaultSignalSeconds }.AtLeast(1);
        var sbatch = new Option<string[]>("--sbatch") { Description = "More sbatch options, written as one #SBATCH line each, such as --sbatch \"--mem=16G --account=lab\"; repeatable." };
        var nfm = new Option<string?>("--nfm") { Description = "The shell command that starts nfm on the nodes (default: this nfm, by its path here)." };
        var all = new Option<bool>("--all") { Description = "Submit every task (default: only those not done and not queued or running under Slurm, as 'nfm sweep status' shows them)." };
        var maxRequeues = new Option<int>("--max-requeues")
        {
            Description = "After this many requeues (preemptions, time limits) a task is recorded as failed with the reason, not run again.",
            DefaultValueFactory = _ => SlurmArraySettings.DefaultMaxRequeues,
        }.AtLeast(0);
        var signal = new Option<string>("--signal") { Description = "The signal Slurm sends --signal-before the time limit: USR1 or USR2.", DefaultValueFactory = _ => SlurmArraySettings.DefaultSignal }
            .OneOf(SlurmArraySettings.Signals);
        var command = new Command("slurm", "Write DIR/slurm/sweep.sbatch, a Slurm job array of one task per sweep task: requeued on preemption, "
            + "warned with --signal (SIGUSR1) before its time limit (it checkpoints and requeues itself), logs in DIR/logs appended across restarts.")
        {
            folder, submit, partition, time, gpus, cpusPerTask, maxParallel, signalBefore, sbatch, nfm, all, maxRequeues, signal,
        };
        command.SetAction(result => CommandErrors.Run(() =>
        {
            var sweep = SweepFolder.Open(result.GetValue(folder)!);
            SweepArguments.Validate(sweep.Definition); // a hand-written file is checked before any job is written
            var settings = new SlurmArraySettings(
                result.GetValue(nfm) ?? NfmExecutable.ShellCommand(),
                result.GetValue(partition),
                result.GetValue(time),
                result.GetValue(gpus),
                result.GetValue(cpusPerTask) is > 0 and var cpus ? cpus : null,
                result.GetValue(maxParallel) is > 0 and var parallel ? parallel : null,
                result.GetValue(signalBefore),
                result.GetValue(sbatch) ?? [],
                result.GetValue(signal)!.ToUpperInvariant(),
                result.GetValue(maxRequeues));
            var (tasks, why) = result.GetValue(all) ? ([.. Enumerable.Range(0, sweep.Definition.TaskCount)], "every task, as --all asks") : Unfinished(sweep, result.GetValue(submit));
            if (tasks.Count == 0)
            {
                Console.WriteLine($"Nothing to submit: {why}. 'nfm sweep status {ShellQuoting.Word(sweep.Path)}' shows each task; --all submits every one.");
                return 0;
            }
            var text = SlurmScript.Text(sweep, settings, tasks);
            Directory.CreateDirectory(Path.GetDirectoryName(sweep.SlurmScriptPath)!);
            Directory.CreateDirectory(sweep.LogsPath);
            Training.AtomicFile.WriteText(sweep.SlurmScriptPath, text);
            Console.WriteLine($"Wrote {sweep.SlurmScriptPath}: a job array of tasks {IndexRanges.Format(tasks)} ({why}).");
            if (!result.GetValue(submit))
            {
                Console.WriteLine($"Submit it with: sbatch {ShellQuoting.Word(sweep.SlurmScriptPath)}");
                return 0;
            }
            var job = Sbatch.Submit(sweep.SlurmScriptPath);
            SlurmSubmissions.Append(sweep, new SlurmSubmission(job, tasks, DateTimeOffset.UtcNow));
            Console.WriteLine($"Submitted job array {job}: tasks {IndexRanges.Format(tasks)} as {job}_N, logs in {sweep.LogsPath}.");
            return 0;
        }));
        return command;
    }

    // Submitting without knowing what Slurm still runs could run a task twice: refused, unless every task is asked for.
    private static (IReadOnlyList<int> Tasks, string Why) Unfinished(SweepFolder sweep, bool submit)
    {
        var status = SweepStatus.Read(sweep);
        if (submit && status.SchedulerUnavailable is { } unavailable)
            throw new InvalidOperationException($"could not ask Slurm ({unavailable}): which tasks it still holds is unknown, so nothing is submitted; try again, or give --all");
        return status.Unfinished();
    }
}
