using System.CommandLine;
using NfmGen.Cli.Commands;
using NfmGen.Cli.Sweeps;

namespace NfmGen.Cli.Sweeps.Commands;

/// <summary><c>nfm sweep list</c>: the tasks of a sweep, one line each.</summary>
internal static class SweepListCommand
{
    public static Command Create()
    {
        var folder = SweepCommand.FolderArgument();
        var command = new Command("list", "The sweep's tasks, one line each: index, the values that vary, the run folder.") { folder };
        command.SetAction(result => CommandErrors.Run(() =>
        {
            var sweep = SweepFolder.Open(result.GetValue(folder)!);
            foreach (var task in sweep.Definition.Tasks())
                Console.WriteLine($"{sweep.Number(task.Index)}  {task.Describe()}  {Path.GetRelativePath(Environment.CurrentDirectory, sweep.RunFolder(task.Index).Path)}");
            return 0;
        }));
        return command;
    }
}
