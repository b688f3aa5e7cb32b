using System.CommandLine;
using NfmGen.Cli.Commands;
using NfmGen.Cli.Sweeps;

namespace NfmGen.Cli.Sweeps.Commands;

/// <summary><c>nfm sweep status</c>: where each task of a sweep stands, the totals, and the work left.</summary>
internal static class SweepStatusCommand
{
    public static Command Create()
    {
        var folder = SweepCommand.FolderArgument();
        var format = new Option<string>("--format") { Description = "text or json.", DefaultValueFactory = _ => "text" }.OneOf(["text", "json"]);
        var command = new Command("status", "Each task's state (pending, running, interrupted, stopped, done, failed with its error), how often it was requeued, "
            + "its epoch and last test accuracy; the totals per state, and the work left estimated from the measured seconds per epoch.")
        {
            folder, format,
        };
        command.SetAction(result => CommandErrors.Run(() =>
        {
            var status = SweepStatus.Read(SweepFolder.Open(result.GetValue(folder)!));
            Console.Write(string.Equals(result.GetValue(format), "json", StringComparison.OrdinalIgnoreCase) ? SweepStatusRenderer.Json(status) : SweepStatusRenderer.Text(status));
            return 0;
        }));
        return command;
    }
}
