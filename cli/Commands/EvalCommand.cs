using System.CommandLine;
using NfmGen.Cli.Data;
using NfmGen.Data;
using NfmGen.Data.Images;
using NfmGen.Reports;
using NfmGen.Robustness;
using NfmGen.Training;
using TorchSharp;

namespace NfmGen.Cli.Commands;

/// <summary><c>nfm eval</c>: a trained run's robustness to noise, attacks and CIFAR-C corruptions, as a report and plot.</summary>
internal static class EvalCommand
{
    /// <summary>The paper's Table 1 levels, used for images when no --perturb is given.</summary>
    private static readonly string[] DefaultPerturbations = ["white:0.1,0.2,0.3", "sp:0.02,0.04,0.1"];

    /// <summary>The levels of the paper's toy experiment (and 'nfm demo'), used for points when no --perturb is given.</summary>
    private static readonly string[] DefaultPointPerturbations = ["white:0.1,0.2,0.3,0.4"];

    public static Command Create()
    {
        var run = new Option<string>("--run") { Description = "The run folder made by 'nfm train' (its last checkpoint is evaluated)." };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "Evaluate this checkpoint file instead of the run's last one." };
        var dataset = new Option<string?>("--dataset") { Description = "Evaluate on this dataset's test split instead of the run's." };
        var data = new Option<string?>("--data") { Description = "Folder of that dataset's files." };
        var perturb = new Option<string[]>("--perturb")
        {
            Description = $"A perturbation and its levels; repeatable. Forms: {PerturbationSpecParser.Syntax}. Default: {string.Join(" ", DefaultPerturbations)} for images, {string.Join(" ", DefaultPointPerturbations)} for points.",
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
        var spec = ModelSpec.Load(runFolder);
        var manifest = new RunFolder(runFolder).ReadManifest();
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
        var specs = givenSpecs ?? PerturbationSpecParser.ParseAll(test is FeatureDataset ? DefaultPointPerturbations : DefaultPerturbations);
        // The layout the run was trained and tested in (NCHW before the option existed; points have none).
        var channelsLast = test is ImageDataset or ImageFolderDataset && (manifest.Options.ChannelsLast ?? false);

        var nfmNetwork = spec.CreateNetwork();
        using var network = nfmNetwork.Module;
        var path = checkpointPath ?? new RunFolder(runFolder).CheckpointPath;
        var (header, states) = Checkpoint.Load(path, network, null, manifest.Network, manifest.ClassCount, scheme: null, notice: Console.WriteLine);
        foreach (var state in states)
            state.Dispose();
        network.to(device);
        NetworkChecks.RequireForwardMatchesChain(nfmNetwork, test, device, channelsLast);

        var name = rowName ?? header.Scheme.Name;
        Console.WriteLine($"Evaluating {manifest.Network} ({name}, epoch {header.Progress.Epoch}) on {test} with {string.Join(" ", specs)}");
        var row = test switch
        {
            // Points (two-moons, circles): clean accuracy and Gaussian noise on the points, as the paper's toy experiment.
            FeatureDataset points => FeatureRobustnessEvaluator.Evaluate(name, network, points, specs, device, seed, batchSize),
            ImageDataset images => RobustnessEvaluator.Evaluate(name, network, images, specs, device, seed, batchSize, corruptions, new EvaluationProgressBar(),
                cancellationToken, channelsLast: channelsLast),
            ImageFolderDataset folder => RobustnessEvaluator.Evaluate(name, network, folder, specs, device, seed, batchSize, corruptions, new EvaluationProgressBar(),
                cancellationToken, channelsLast: channelsLast),
            _ => throw new InvalidOperationException($"no evaluation for {test.GetType().Name}"),
        };
        if (imageNetC is { } folders)
            row = ImageNetCEvaluation.Append(row, folders, folderOptions!, network, device, batchSize, channelsLast, cancellationToken);
        return WriteReport(new RobustnessReport($"{manifest.Network} on {test.Name}", [row]), outputFolder);
    }

    private static void RequireFits(LabeledDataset test, ModelSpec spec, RunManifest manifest, CifarCorruptionFolder? corruptions)
    {
        switch (test)
        {
            case FeatureDataset points when corruptions is not null:
                throw new ArgumentException($"--cifar-c holds images, and {manifest.Network} classifies points ({points.Name})");
            case FeatureDataset points when points.ClassCount != manifest.ClassCount || points.Features.shape[1] != spec.InChannels:
                throw new ArgumentException(
                    $"{points.Name} does not fit the run: {points.ClassCount} classes of {points.Features.shape[1]}-D points, "
                    + $"but {manifest.Network} was trained on {manifest.ClassCount} classes of {spec.InChannels}-D points ({spec.Dataset})");
            case ImageDataset images when images.ClassCount != manifest.ClassCount || images.ImageShape[0] != spec.InChannels || images.ImageShape[1] != spec.ImageSize:
                throw new ArgumentException(
                    $"{images.Name} does not fit the run: {images.ClassCount} classes of [{string.Join(", ", images.ImageShape)}] images, "
                    + $"but {manifest.Network} was trained on {manifest.ClassCount} classes of {spec.InChannels}-channel {spec.ImageSize}x{spec.ImageSize} images ({spec.Dataset})");
            case ImageFolderDataset images when images.ClassCount != manifest.ClassCount || images.Options.Channels != spec.InChannels || images.Options.ImageSize != spec.ImageSize:
                throw new ArgumentException(
                    $"{images.Name} does not fit the run: {images.ClassCount} classes of [{string.Join(", ", images.ImageShape)}] images, "
                    + $"but {manifest.Network} was trained on {manifest.ClassCount} classes of {spec.InChannels}-channel {spec.ImageSize}x{spec.ImageSize} images ({spec.Dataset})");
            case FeatureDataset or ImageDataset or ImageFolderDataset:
                return;
            default:
                throw new ArgumentException($"nfm eval evaluates images and points, not {test.GetType().Name} ({test.Name})");
        }
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
