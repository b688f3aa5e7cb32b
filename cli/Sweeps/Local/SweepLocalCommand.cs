using System.CommandLine;
using NfmGen.Cli.Commands;
using NfmGen.Cli.Sweeps;
using NfmGen.Cli.Sweeps.Commands;

namespace NfmGen.Cli.Sweeps.Local;

/// <summary><c>nfm sweep local</c>: every unfinished task of a sweep on this machine, a few at a time.</summary>
internal static class SweepLocalCommand
{
    /// <summary>
    /// Tasks side by side by default: one per core, each with one thread. On this project's two-core machine two
    /// one-thread tasks finished a grid 3-4 times sooner than one two-thread task at a time (docs/sweeps.md, "This machine").
    /// </summary>
    public static int DefaultParallel => Environment.ProcessorCount;

    /// <summary>Threads per task by default, with <see cref="DefaultParallel"/>.</summary>
    public const int DefaultThreads = 1;

    public static Command Create()
    {
        var folder = SweepCommand.FolderArgument();
        var parallel = new Option<int>("--parallel")
        {
            Description = $"Tasks that run side by side (default: one per core, here {DefaultParallel}; measured on two cores, two one-thread tasks beat one two-thread task at a time: docs/sweeps.md). Lower it when the tasks do not fit in memory together.",
            DefaultValueFactory = _ => DefaultParallel,
        }.AtLeast(1);
        var threads = new Option<int>("--threads")
        {
            Description = $"CPU threads of each task's tensor work (default {DefaultThreads}; 0: torch's default, all cores). Keep --parallel x --threads at most the cores.",
            DefaultValueFactory = _ => DefaultThreads,
        }.AtLeast(0);
        var command = new Command("local", "Run every unfinished task of the sweep on this machine, each as 'nfm sweep run DIR --task i', its output appended to "
            + "DIR/logs/NNN.log. Ctrl+C checkpoints the running tasks and stops; run it again to go on. Exit code 0 when every task is done, 1 when any failed, 130 when stopped.")
        {
            folder, parallel, threads,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            SweepFolder sweep;
            try
            {
                sweep = SweepFolder.Open(result.GetValue(folder)!);
                SweepArguments.Validate(sweep.Definition); // a hand-written file is checked before any task starts
            }
            catch (Exception error) when (error is IOException or InvalidDataException or ArgumentException)
            {
                Console.Error.WriteLine(CommandErrors.ErrorPrefix + error.Message);
                return CommandErrors.Failure;
            }
            return await new LocalSweep(sweep, result.GetValue(parallel), result.GetValue(threads), Console.Out).RunAsync(cancellationToken);
        });
        return command;
    }
}
