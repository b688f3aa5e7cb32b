using NfmGen.Cli.Data;
using NfmGen.Data;
using NfmGen.Data.Images;
using NfmGen.Network;
using NfmGen.Reports;
using NfmGen.Reports.Plots;
using NfmGen.Robustness;
using NfmGen.Tracking;
using NfmGen.Training;

namespace NfmGen.Cli.Commands;

/// <summary>What <c>nfm eval</c> does once its options are parsed: evaluates the run and writes its report and plot.</summary>
internal static class EvalRun
{
    /// <summary>Evaluates the run that <paramref name="request"/> names; returns the exit code, 0.</summary>
    public static int Execute(EvalRequest request, CancellationToken cancellationToken)
    {
        var run = RunModel.Open(request.Run);
        var (spec, manifest) = (run.Spec, run.Manifest);
        var device = Devices.Parse(request.Device);
        var corruptions = request.CifarC is null ? null : CifarCorruptionFolder.Open(request.CifarC);
        var imageNetC = request.ImageNetC is null ? ((ImageNetCFolder, ImageSettings)?)null : ImageNetCEvaluation.Open(request.ImageNetC, manifest);
        // An image folder's val set is streamed, decoded with the run's evaluation transform once per pass (memory stays
        // flat), and mapped onto the classes the run stored; a table's rows are encoded with the run's statistics.
        using var full = DatasetCatalog.TestForRun(spec, manifest, request.Dataset, request.DataPath);
        using var subset = request.TestSamples is { } count ? FirstSamples(full, count) : null;
        var test = subset ?? full;
        RequireFits(test, spec, manifest, corruptions);
        var specs = request.Perturbations ?? RobustnessEvaluator.DefaultPerturbations(test);
        // The layout the run was trained and tested in (NCHW before the option existed); inputs that are not image batches pass through.
        var channelsLast = manifest.Options.ChannelsLast ?? false;

        using var loaded = run.Load(request.Weights, device, Console.WriteLine);
        var (network, header) = (loaded.Module, loaded.Header);
        NetworkChecks.RequireFits(network, test, device, channelsLast);

        // A report says which weights it scores: the best epoch's row and the moving average's are named so.
        var name = request.Name ?? (request.Weights.Select != WeightsChoice.Last && request.Weights.Checkpoint is null
            ? $"{header.Scheme.Name} ({request.Weights.Select})" : header.Scheme.Name);
        Console.WriteLine($"Evaluating {manifest.Network} ({name}, epoch {header.Progress.Epoch}) on {test} with {string.Join(" ", specs)}");
        var row = RobustnessEvaluator.Evaluate(name, network, test, specs, device, request.Seed, request.BatchSize, corruptions, new EvaluationProgressBar(), cancellationToken,
            channelsLast: channelsLast);
        if (imageNetC is { } folders)
            row = ImageNetCEvaluation.Append(row, folders, ImageFolderArguments.Of(spec, manifest)!, network, device, request.BatchSize, channelsLast, cancellationToken);
        var exitCode = WriteReport(new RobustnessReport($"{manifest.Network} on {test.Name}", [row]), request.Output);
        // The run's own evaluation (its data, its last checkpoint) goes beside its training curves, at the checkpoint's
        // step; the report is written first, and events that cannot be written are said, not fatal.
        if (manifest.Options.TensorBoard && request.Weights == WeightsChoice.Default && request.Dataset is null && request.TestSamples is null)
        {
            var events = TensorBoardLog.FolderOf(run.Folder.Path, manifest.Options);
            try
            {
                TensorBoardLog.WriteEvaluation(events, header.Progress.GlobalStep, RobustnessScalars(row));
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                Console.WriteLine($"TensorBoard: {events} cannot be written ({error.Message}); the report is written.");
            }
        }
        return exitCode;
    }

    // robustness/clean, then one tag per result: robustness/WhiteNoise_0.1, robustness/CifarCorruption_fog_3, robustness/Fgsm_8_255.
    private static IEnumerable<(string Tag, double Value)> RobustnessScalars(ReportRow row) =>
        row.Results.Select(result => ($"robustness/{string.Join('_', new[] { result.Kind.ToString(), result.Corruption, result.Label.Replace('/', '_') }.OfType<string>())}", result.Accuracy))
            .Prepend(("robustness/clean", row.CleanAccuracy));

    // The first samples in the test set's order, named so that the report's title says what it scored.
    private static DatasetSubset FirstSamples(LabeledDataset test, int count)
    {
        if (count > test.Count)
            throw new ArgumentException($"--test-samples {count}: {test.Name} holds {test.Count} samples");
        using var scalars = new ScalarScope();
        return new DatasetSubset($"{test.Name} (first {count} of {test.Count})", test, TorchSharp.torch.arange(scalars.Of(0), scalars.Of(count), scalars.Of(1), TorchSharp.torch.ScalarType.Int64));
    }

    private static void RequireFits(LabeledDataset test, ModelSpec spec, RunManifest manifest, CifarCorruptionFolder? corruptions)
    {
        long[] trained = spec.ImageSize == 0 ? [spec.InChannels] : [spec.InChannels, spec.ImageSize, spec.ImageSize];
        if (test.ClassCount != manifest.ClassCount || !test.InputShape.SequenceEqual(trained))
            throw new ArgumentException(
                $"{test.Name} does not fit the run: {test.ClassCount} classes of [{string.Join(", ", test.InputShape)}] samples, "
                + $"but {manifest.Network} was trained on {manifest.ClassCount} classes of [{string.Join(", ", trained)}] samples ({spec.Dataset})");
        if (corruptions is not null && test.Normalization is null)
            throw new ArgumentException($"--cifar-c holds images, and {manifest.Network} classifies samples that are not images ({test.Name})");
    }

    private static int WriteReport(RobustnessReport report, string outputFolder)
    {
        Console.WriteLine();
        Console.WriteLine(ReportRenderer.Render(report, ReportFormat.Text));
        Directory.CreateDirectory(outputFolder);
        ReportJson.Save(report, Path.Combine(outputFolder, RunFolder.ReportFileName));
        AtomicFile.WriteText(Path.Combine(outputFolder, "report.md"), ReportRenderer.Render(report, ReportFormat.Markdown));
        AtomicFile.WriteText(Path.Combine(outputFolder, "report.csv"), ReportRenderer.Render(report, ReportFormat.Csv));
        var plot = AccuracyCurvePlot.Save(report, Path.Combine(outputFolder, "robustness.png"));
        Console.WriteLine($"Wrote {Path.GetFullPath(outputFolder)}: {RunFolder.ReportFileName}, report.md, report.csv, {Path.GetFileName(plot.Path)}");
        return 0;
    }
}
