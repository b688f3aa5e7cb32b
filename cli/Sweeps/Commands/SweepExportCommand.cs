using System.CommandLine;
using NfmGen.Cli.Commands;
using NfmGen.Cli.Data;

namespace NfmGen.Cli.Sweeps.Commands;

/// <summary><c>nfm sweep export</c>: every finished task's model, as <c>nfm export</c> writes one, named after the task.</summary>
internal static class SweepExportCommand
{
    public static Command Create()
    {
        var folder = SweepCommand.FolderArgument();
        var output = new Option<string>("--out") { Description = "The folder to write into: one file per finished task, named as its TensorBoard run (003-scheme=nfm_seed=2.onnx)." };
        var format = ExportCommand.FormatOption();
        var select = new WeightsArguments("").Select;
        var command = new Command("export", "Export the model of each task whose training has finished (see 'nfm export'); tasks not finished are listed and passed over.")
        {
            folder, output, format, select,
        };
        command.SetAction(result => CommandErrors.Run(() =>
        {
            var sweep = SweepFolder.Open(result.GetValue(folder)!);
            var target = result.GetValue(output) ?? throw new ArgumentException("--out is required: the folder to write the models into");
            var chosen = result.GetValue(format) ?? ExportCommand.Onnx;
            var weights = new WeightsChoice(null, result.GetValue(select)!.ToLowerInvariant());
            return Export(sweep, target, chosen, weights);
        }));
        return command;
    }

    private static int Export(SweepFolder sweep, string target, string format, WeightsChoice weights)
    {
        var extension = format == ExportCommand.Onnx ? ".onnx" : format == ExportCommand.Safetensors ? ".safetensors" : ".pt";
        var (written, failed) = (0, 0);
        var unfinished = new List<string>();
        for (var index = 0; index < sweep.Definition.TaskCount; index++)
        {
            if (sweep.ReadRecord(index)?.State != TaskState.Done)
            {
                unfinished.Add(sweep.Number(index));
                continue;
            }
            try
            {
                var path = Path.Combine(target, sweep.TaskName(index) + extension);
                var task = new Dictionary<string, string> { ["sweep"] = sweep.Path, ["task"] = string.Join(", ", sweep.Definition.Task(index).Varying) };
                Console.WriteLine(ExportCommand.Export(RunModel.Open(sweep.RunFolder(index).Path), weights, path, format, task));
                written++;
            }
            catch (Exception error) when (CommandErrors.IsExpected(error))
            {
                Console.Error.WriteLine($"{CommandErrors.ErrorPrefix}task {sweep.Number(index)}: {CommandErrors.UserMessage(error)}");
                failed++;
            }
        }
        Console.WriteLine($"Exported {written} of {sweep.Definition.TaskCount} tasks to {Path.GetFullPath(target)}"
            + (unfinished.Count > 0 ? $"; not finished: {string.Join(", ", unfinished)}" : "")
            + (failed > 0 ? $"; {failed} failed (see above)" : "") + ".");
        return failed > 0 ? CommandErrors.Failure : 0;
    }
}
