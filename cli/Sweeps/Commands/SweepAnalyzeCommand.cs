using System.CommandLine;
using System.Text.Json;
using NfmGen.Analysis;
using NfmGen.Cli.Commands;
using NfmGen.Cli.Data;
using NfmGen.Mixing;
using NfmGen.Training;

namespace NfmGen.Cli.Sweeps.Commands;

/// <summary>
/// <c>nfm sweep analyze</c>: <c>nfm analyze</c> on every finished task (its <c>run/analysis.json</c>), then the groups'
/// measures as mean ± std over seeds (<see cref="SmoothnessSummary"/>), which <c>nfm sweep report</c> shows too.
/// </summary>
internal static class SweepAnalyzeCommand
{
    public static Command Create()
    {
        var defaults = new SmoothnessOptions();
        var folder = SweepCommand.FolderArgument();
        var mixPoints = new Option<string?>("--mix-points") { Description = "Where to measure: all (default), input, or mix points such as 0,1,2." };
        var samples = new Option<int>("--samples") { Description = "Test points per task, the first of the test set.", DefaultValueFactory = _ => defaults.Samples };
        var probes = new Option<int>("--probes") { Description = "Random probes per point.", DefaultValueFactory = _ => defaults.Probes };
        var seed = new Option<long>("--seed") { Description = "Seed of the probes, steps, temperature split and bootstrap.", DefaultValueFactory = _ => defaults.Seed };
        var again = new Option<bool>("--again") { Description = "Analyse tasks that have an analysis already, replacing it." };
        var device = new Option<string>("--device") { Description = "auto, cpu, cuda or cuda:N.", DefaultValueFactory = _ => Devices.Auto };
        var command = new Command("analyze", "Run 'nfm analyze' on each finished task (writing its run/analysis.json), then print each group's smoothness "
            + "as mean ± std over seeds, per mix point (DIR/smoothness.md; 'nfm sweep report' adds it to its report).")
        {
            folder, mixPoints, samples, probes, seed, again, device,
        };
        command.SetAction(result => CommandErrors.Run(() =>
        {
            var sweep = SweepFolder.Open(result.GetValue(folder)!);
            var options = defaults with
            {
                MixPoints = result.GetValue(mixPoints) is { } points ? MixPointSelection.Parse(points) : MixPointSelection.All,
                Samples = result.GetValue(samples),
                Probes = result.GetValue(probes),
                Seed = result.GetValue(seed),
            };
            options.Validate();
            var failed = Analyze(sweep, options, result.GetValue(again), Devices.Parse(result.GetValue(device)!));
            if (SmoothnessSummary.Render(sweep) is { } table)
            {
                var path = Path.Combine(sweep.Path, "smoothness.md");
                AtomicFile.WriteText(path, table);
                Console.Write(table);
                Console.WriteLine($"Wrote {path}");
            }
            return failed > 0 ? CommandErrors.Failure : 0;
        }));
        return command;
    }

    private static int Analyze(SweepFolder sweep, SmoothnessOptions options, bool again, TorchSharp.torch.Device device)
    {
        var (analysed, failed) = (0, 0);
        var unfinished = new List<string>();
        for (var index = 0; index < sweep.Definition.TaskCount; index++)
        {
            var path = Path.Combine(sweep.RunFolder(index).Path, SmoothnessSummary.FileName);
            if (sweep.ReadRecord(index)?.State != TaskState.Done)
            {
                unfinished.Add(sweep.Number(index));
                continue;
            }
            // An analysis made with other options is made again: the table averages like with like.
            if (File.Exists(path) && !again && SmoothnessSummary.Read(sweep, index)?.Options == options)
                continue;
            try
            {
                Console.WriteLine($"Task {sweep.Number(index)} ({string.Join(" ", sweep.Definition.Task(index).Varying)}): analysing");
                var report = AnalyzeCommand.Analyze(RunModel.Open(sweep.RunFolder(index).Path), WeightsChoice.Default, options, device);
                AtomicFile.WriteText(path, JsonSerializer.Serialize(report, TrainingJson.Options));
                analysed++;
            }
            catch (Exception error) when (CommandErrors.IsExpected(error))
            {
                Console.Error.WriteLine($"{CommandErrors.ErrorPrefix}task {sweep.Number(index)}: {CommandErrors.UserMessage(error)}");
                failed++;
            }
        }
        Console.WriteLine($"Analysed {analysed} task(s)" + (unfinished.Count > 0 ? $"; not finished: {string.Join(", ", unfinished)}" : "")
            + (failed > 0 ? $"; {failed} failed (see above)" : "") + ".");
        return failed;
    }
}
