using System.CommandLine;
using NfmGen.Cli.Data;
using NfmGen.Data;
using NfmGen.Data.Images;
using NfmGen.Reports;
using NfmGen.Robustness;
using NfmGen.Training;
using TorchSharp;
using NfmGen.Reports.Plots;

namespace NfmGen.Cli.Commands;

/// <summary><c>nfm eval</c>: a trained run's robustness to noise, attacks and CIFAR-C corruptions, as a report and plot.</summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var run = new Option<string>("--run") { Description = "The run folder made by 'nfm train' (its last checkpoint is evaluated)." };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "Evaluate this checkpoint file instead of the run's last one." };
        var dataset = new Option<string?>("--dataset") { Description = "Evaluate on this dataset's test split instead of the run's." };
        var data = new Option<string?>("--data") { Description = "Folder of that dataset's files." };
        var perturb = new Option<string[]>("--perturb")
        {
            Description = $"A perturbation and its levels; repeatable. Forms: {PerturbationSpecParser.Syntax}. Default: {string.Join(" ", RobustnessEvaluator.DefaultImagePerturbations)} for images, {string.Join(" ", RobustnessEvaluator.DefaultOtherPerturbations)} for points.",
            AllowMultipleArgumentsPerToken = false,
        };
        var cifarC = new Option<string?>("--cifar-c") { Description = "A CIFAR-10-C / CIFAR-100-C folder (<corruption>.npy and labels.npy) to evaluate too." };
        var imageNetC = new Option<string?>("--imagenet-c")
        {
            Description = "An ImageNet-C folder (<corruption>/<severity 1-5>/<class>/*.JPEG) to evaluate too: accuracy per corruption and severity, CE and mCE (AlexNet = 100).",
        };
        var output = new Option<string?>("--out") { Description = "Folder for report.json/.md/.csv and robustness.png (default: the run folder)." };
        var name = new Option<string?>("--name") { Description = "The report row's name (default: the run's scheme)." };
        var seed = new Option<long>("--seed") { Description = "Seed of the noise and attack starts.", DefaultValueFactory = _ => 0 };
        var device = new Option<string>("--device") { Description = "auto, cpu, cuda or cuda:N.", DefaultValueFactory = _ => "auto" };
        var batchSize = new Option<int>("--batch-size") { Description = "Images per evaluation batch.", DefaultValueFactory = _ => 256 }.AtLeast(1);
        var command = new Command("eval", "Evaluate a trained run on clean and perturbed test data (white noise, salt and pepper, FGSM, PGD, CIFAR-C, ImageNet-C); "
            + "prints the table in the paper's layout and writes the report and its plot.")
        {
            run, checkpoint, dataset, data, perturb, cifarC, imageNetC, output, name, seed, device, batchSize,
        };
        command.SetAction((result, cancellationToken) => Task.FromResult(CommandErrors.Run(() =>
        {
            var folder = result.GetValue(run) ?? throw new ArgumentException("--run is required: the run folder to evaluate");
            IReadOnlyList<PerturbationSpec>? specs = result.GetValue(perturb) is { Length: > 0 } given ? PerturbationSpecParser.ParseAll(given) : null;
            return Evaluate(
                folder, result.GetValue(checkpoint), result.GetValue(dataset), result.GetValue(data), specs, result.GetValue(cifarC), result.GetValue(imageNetC),
                result.GetValue(output) ?? folder, result.GetValue(name), result.GetValue(seed), result.GetValue(device)!, result.GetValue(batchSize),
                cancellationToken);
        })));
        return command;
    }

    private static int Evaluate(
        string runFolder, string? checkpointPath, string? datasetName, string? dataPath, IReadOnlyList<PerturbationSpec>? givenSpecs,
        string? cifarCPath, string? imageNetCPath, string outputFolder, string? rowName, long seed, string deviceName, int batchSize, CancellationToken cancellationToken)
    {
        var run = RunModel.Open(runFolder);
        var (spec, manifest) = (run.Spec, run.Manifest);
        var device = Devices.Parse(deviceName);
        var corruptions = cifarCPath is null ? null : CifarCorruptionFolder.Open(cifarCPath);
        var imageNetC = imageNetCPath is null ? ((ImageNetCFolder, ImageSettings)?)null : ImageNetCEvaluation.Open(imageNetCPath, manifest);
        // An image folder's val set is streamed, decoded with the run's evaluation transform once per pass: memory stays flat.
        var folderOptions = ImageFolderArguments.Of(spec, manifest);
        // Its val set is mapped onto the classes the run stored, not onto whatever DIR/train holds now (nor scanned for them).
        var classNames = manifest.Images?.ClassNames;
        using var test = datasetName is null
            ? DatasetCatalog.LoadTest(spec.Dataset, spec.DataPath, manifest.Options.Seed, folderOptions, classNames)
            : DatasetCatalog.LoadTest(datasetName, dataPath, manifest.Options.Seed, folderOptions, classNames);
        RequireFits(test, spec, manifest, corruptions);
        var specs = givenSpecs ?? RobustnessEvaluator.DefaultPerturbations(test);
        // The layout the run was trained and tested in (NCHW before the option existed); inputs that are not image batches pass through.
        var channelsLast = manifest.Options.ChannelsLast ?? false;

        using var loaded = run.Load(checkpointPath, device, Console.WriteLine);
        var (network, header) = (loaded.Module, loaded.Header);
        NetworkChecks.RequireFits(network, test, device, channelsLast);

        var name = rowName ?? header.Scheme.Name;
        Console.WriteLine($"Evaluating {manifest.Network} ({name}, epoch {header.Progress.Epoch}) on {test} with {string.Join(" ", specs)}");
        var row = RobustnessEvaluator.Evaluate(name, network, test, specs, device, seed, batchSize, corruptions, new EvaluationProgressBar(), cancellationToken,
            channelsLast: channelsLast);
        if (imageNetC is { } folders)
            row = ImageNetCEvaluation.Append(row, folders, folderOptions!, network, device, batchSize, channelsLast, cancellationToken);
        return WriteReport(new RobustnessReport($"{manifest.Network} on {test.Name}", [row]), outputFolder);
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
        File.WriteAllText(Path.Combine(outputFolder, "report.md"), ReportRenderer.Render(report, ReportFormat.Markdown));
        File.WriteAllText(Path.Combine(outputFolder, "report.csv"), ReportRenderer.Render(report, ReportFormat.Csv));
        var plot = AccuracyCurvePlot.Save(report, Path.Combine(outputFolder, "robustness.png"));
        Console.WriteLine($"Wrote {Path.GetFullPath(outputFolder)}: {RunFolder.ReportFileName}, report.md, report.csv, {Path.GetFileName(plot.Path)}");
        return 0;
    }
}
