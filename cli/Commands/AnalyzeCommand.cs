using System.CommandLine;
using NfmGen.Analysis;
using NfmGen.Cli.Data;
using NfmGen.Mixing;
using NfmGen.Reports;
using NfmGen.Training;

namespace NfmGen.Cli.Commands;

/// <summary>
/// <c>nfm analyze</c>: how smooth a trained run's map from each mix point's features to its outputs is
/// (<see cref="SmoothnessAnalysis"/>: the feature-output Jacobian and curvature of the NFM paper's Theorem 1), on its test data.
/// </summary>
internal static class AnalyzeCommand
{
    public static Command Create()
    {
        var defaults = new SmoothnessOptions();
        var run = new Option<string>("--run") { Description = "The run folder made by 'nfm train' (its last checkpoint is analysed, unless --select or --checkpoint says otherwise)." };
        var weights = new WeightsArguments("Analyse this checkpoint file of the run instead of its last one.");
        var mixPoints = new Option<string?>("--mix-points") { Description = "Where to measure: all (default), input, or mix points such as 0,1,2 (see 'nfm models')." };
        var samples = new Option<int>("--samples") { Description = "Test points, the first of the test set (half fit the temperature).", DefaultValueFactory = _ => defaults.Samples };
        var probes = new Option<int>("--probes") { Description = "Random probes per point: projections of J above 16 classes, and Hutchinson's.", DefaultValueFactory = _ => defaults.Probes };
        var seed = new Option<long>("--seed") { Description = "Seed of the probes, steps, temperature split and bootstrap.", DefaultValueFactory = _ => defaults.Seed };
        var format = new Option<string>("--format") { Description = "text, markdown, csv or json.", DefaultValueFactory = _ => "text" }.OneOf(["text", "markdown", "csv", "json"]);
        var output = new Option<string?>("--out") { Description = "Also write the result to this file (in --format)." };
        var device = new Option<string>("--device") { Description = "auto, cpu, cuda or cuda:N.", DefaultValueFactory = _ => Devices.Auto };
        var command = new Command("analyze", "Measure how smooth the run's map from each mix point's features to its outputs is (Theorem 1 of the NFM paper): "
            + "the feature-output Jacobian's norm, its softmax-weighted and multiplicative forms, the trace of the loss's Hessian and how fast the Jacobian changes, "
            + "each a mean over test points with a 95% bootstrap interval, as trained and with the logits temperature-scaled (docs/robustness.md).")
        {
            run, mixPoints, samples, probes, seed, format, output, device,
        };
        foreach (var option in weights.All)
            command.Options.Add(option);
        command.SetAction(result => CommandErrors.Run(() =>
        {
            var model = RunModel.Open(result.GetValue(run) ?? throw new ArgumentException("--run is required: the run folder to analyse"));
            var options = defaults with
            {
                MixPoints = result.GetValue(mixPoints) is { } points ? MixPointSelection.Parse(points) : MixPointSelection.All,
                Samples = result.GetValue(samples),
                Probes = result.GetValue(probes),
                Seed = result.GetValue(seed),
            };
            var chosen = Enum.Parse<ReportFormat>(result.GetValue(format)!, ignoreCase: true);
            var text = SmoothnessRenderer.Render(Analyze(model, weights.Parse(result), options, Devices.Parse(result.GetValue(device)!)), chosen);
            if (result.GetValue(output) is { } file)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
                AtomicFile.WriteText(file, text);
            }
            Console.Write(text);
            return 0;
        }));
        return command;
    }

    /// <summary>Analyses <paramref name="run"/>'s weights <paramref name="weights"/> on its test data.</summary>
    public static SmoothnessReport Analyze(RunModel run, WeightsChoice weights, SmoothnessOptions options, TorchSharp.torch.Device device)
    {
        var (spec, manifest) = (run.Spec, run.Manifest);
        using var test = DatasetCatalog.TestForRun(spec, manifest);
        using var loaded = run.Load(weights, device, Console.Error.WriteLine);
        return SmoothnessAnalysis.Run(loaded.Network, test, options);
    }
}
