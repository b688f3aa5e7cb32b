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
        var signalBefore = new Option<int>("--signal-before") { Description = "Seconds before its time limit that a task gets SIGUSR1 to checkpoint and requeue itself.", DefaultValueFactory = _ => SlurmArraySettings.DefaultSignalSeconds }.AtLeast(1);
        var sbatch = new Option<string[]>("--sbatch") { Description = "More sbatch options, written as one #SBATCH line each, such as --sbatch \"--mem=16G --account=lab\"; repeatable." };
        var nfm = new Option<string?>("--nfm") { Description = "The shell command that starts nfm on the nodes (default: this nfm, by its path here)." };
        var command = new Command("slurm", "Write DIR/slurm/sweep.sbatch, a Slurm job array of one task per sweep task: requeued on preemption, "
            + "warned with SIGUSR1 before its time limit (it checkpoints and requeues itself), logs in DIR/logs appended across restarts.")
        {
            folder, submit, partition, time, gpus, cpusPerTask, maxParallel, signalBefore, sbatch, nfm,
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
                result.GetValue(sbatch) ?? []);
            var text = SlurmScript.Text(sweep, settings);
            Directory.CreateDirectory(Path.GetDirectoryName(sweep.SlurmScriptPath)!);
            Directory.CreateDirectory(sweep.LogsPath);
            Training.AtomicFile.WriteText(sweep.SlurmScriptPath, text);
            Console.WriteLine($"Wrote {sweep.SlurmScriptPath}: a job array of {sweep.Definition.TaskCount} tasks.");
            if (!result.GetValue(submit))
            {
                Console.WriteLine($"Submit it with: sbatch {ShellQuoting.Word(sweep.SlurmScriptPath)}");
                return 0;
            }
            var job = Sbatch.Submit(sweep.SlurmScriptPath);
            Console.WriteLine($"Submitted job array {job}: tasks {job}_0 to {job}_{sweep.Definition.TaskCount - 1}, logs in {sweep.LogsPath}.");
            return 0;
        }));
        return command;
    }
}
