using System.CommandLine;
using NfmGen.Cli.Demo;
using NfmGen.Inference;
using NfmGen.Reports;
using NfmGen.Reports.Plots;
using NfmGen.Training;
using static TorchSharp.torch;

namespace NfmGen.Cli.Commands;

/// <summary><c>nfm demo</c>: the paper's toy experiment, with no data or flags needed.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Folder for the report and the pictures.", DefaultValueFactory = _ => "nfm-demo" };
        var seed = new Option<long>("--seed") { Description = "Seed of the data, the initialisation and every random choice.", DefaultValueFactory = _ => 0 };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs of each model.", DefaultValueFactory = _ => 400 }.AtLeast(1);
        var command = new Command("demo", "Train a small MLP on noisy two moons with baseline, noise injection, mixup, manifold mixup and NFM; "
            + "print the robustness table and draw the decision boundaries (the paper's toy experiment, about a minute on a CPU).")
        {
            output, seed, epochs,
        };
        command.SetAction((result, cancellationToken) => Task.FromResult(CommandErrors.Run(() =>
            Run(Path.GetFullPath(result.GetValue(output)!), result.GetValue(seed), result.GetValue(epochs), cancellationToken))));
        return command;
    }

    private static int Run(string folder, long seed, int epochs, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        Console.WriteLine($"Training {ToyExperiment.Schemes.Count} models on noisy two moons ({ToyExperiment.TrainPoints} points, {100 * ToyExperiment.LabelNoise:F0}% of labels flipped), {epochs} epochs each:");
        using var experiment = new ToyExperiment(folder, seed, epochs, Console.Out);
        var rows = new List<ReportRow>();
        var boundaries = new List<DecisionBoundaryModel>();
        var models = new List<IDisposable>();
        try
        {
            foreach (var scheme in ToyExperiment.Schemes)
            {
                var (model, row) = experiment.Run(scheme, cancellationToken);
                models.Add(model);
                rows.Add(row);
                boundaries.Add(DecisionBoundaryModel.FromLogits(scheme.Name, row.CleanAccuracy, points =>
                {
                    using var inference = InferenceScope.NoGrad(model);
                    return model.call(points);
                }, CPU));
            }

            var report = new RobustnessReport("Two moons, Gaussian noise on the inputs", rows);
            Console.WriteLine();
            Console.WriteLine(ReportRenderer.Render(report, ReportFormat.Text));
            AtomicFile.WriteText(Path.Combine(folder, "report.md"), ReportRenderer.Render(report, ReportFormat.Markdown));
            AtomicFile.WriteText(Path.Combine(folder, "report.csv"), ReportRenderer.Render(report, ReportFormat.Csv));
            ReportJson.Save(report, Path.Combine(folder, RunFolder.ReportFileName));

            var (points, labels) = TestPoints(experiment);
            var grid = DecisionBoundaryPlot.Save(boundaries, points, labels, Path.Combine(folder, "decision-boundaries.png"));
            var curves = AccuracyCurvePlot.Save(report, Path.Combine(folder, "robustness.png"));
            Console.WriteLine($"Wrote {folder}:");
            Console.WriteLine($"  {Path.GetFileName(grid.Path)}   decision boundaries, test accuracy in each title");
            Console.WriteLine($"  {Path.GetFileName(curves.Path)}             accuracy against noise level, one line per scheme");
            Console.WriteLine("  report.md, report.csv, report.json, runs/ (each scheme's run folder: run.json, metrics.jsonl, checkpoint.bin)");
            return 0;
        }
        finally
        {
            foreach (var model in models)
                model.Dispose();
        }
    }

    private static (float[,] Points, int[] Labels) TestPoints(ToyExperiment experiment)
    {
        var features = experiment.Test.Features.data<float>().ToArray();
        var points = new float[features.Length / 2, 2];
        Buffer.BlockCopy(features, 0, points, 0, features.Length * sizeof(float));
        var labels = experiment.Test.Labels.data<long>().ToArray().Select(label => (int)label).ToArray();
        return (points, labels);
    }
}
