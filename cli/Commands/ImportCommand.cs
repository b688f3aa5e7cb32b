using System.CommandLine;
using NfmGen.Cli.Data;
using NfmGen.Data;
using NfmGen.Interop;
using NfmGen.Mixing;
using NfmGen.Models;
using NfmGen.Randomness;
using NfmGen.Training;
using static TorchSharp.torch;

namespace NfmGen.Cli.Commands;

/// <summary>
/// <c>nfm import</c>: weights trained in PyTorch (a state dict or safetensors file) into a run folder, which
/// <c>nfm eval</c> evaluates and <c>nfm export</c> writes back, as for a run that <c>nfm train</c> made.
/// </summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var weights = new Option<string>("--weights") { Description = "The weights: torch.save(model.state_dict()) as .pt, .pth or .bin, or .safetensors." };
        var model = new Option<string>("--model") { Description = $"The network they belong to: {string.Join(", ", ModelZoo.Names)} (see 'nfm models')." }.OneOf(ModelZoo.Names);
        var width = new Option<int?>("--width") { Description = "The network's width, if not the model's default." };
        var dataset = new Option<string?>("--dataset") { Description = $"The data they were trained for (sets classes, channels and image size; 'nfm eval' tests on it): {string.Join(", ", DatasetCatalog.Names)}. Or give the shape with --classes and --channels." }.OneOf(DatasetCatalog.Names);
        var data = new Option<string?>("--data") { Description = "Folder of the dataset's files (Fashion-MNIST defaults to the Debian package's folder)." };
        var classes = new Option<int?>("--classes") { Description = "The number of classes (outputs), without --dataset (e.g. 1000 for ImageNet); with it, it must agree." };
        var channels = new Option<int?>("--channels") { Description = "Channels of the input images (features of a toy model's input), without --dataset; with it, it must agree." };
        var imageSize = new Option<int?>("--image-size") { Description = "Side of the square input images, for the models that need it (small-convnet), without --dataset; with it, it must agree." };
        var scheme = new Option<string?>("--scheme") { Description = $"The scheme they were trained with, for reports: {string.Join(", ", TrainingScheme.Names)} (default: imported)." }.OneOf(TrainingScheme.Names);
        var run = new Option<string>("--run") { Description = "The run folder to create." };
        var command = new Command("import", "Bring weights trained in PyTorch (with the paper's code, erichson/NFM, whose networks tools/reference_models.py transcribes) into a run folder "
            + "that 'nfm eval' and 'nfm export' read. Keys and shapes must match the model exactly.")
        {
            weights, model, width, dataset, data, classes, channels, imageSize, scheme, run,
        };
        command.SetAction(result => CommandErrors.Run(() => Import(
            result.GetValue(weights) ?? throw new ArgumentException("--weights is required: the PyTorch file to import"),
            ModelZoo.Find(result.GetValue(model) ?? throw new ArgumentException($"--model is required (accepted: {string.Join(", ", ModelZoo.Names)})")),
            result.GetValue(width),
            result.GetValue(dataset),
            result.GetValue(data),
            ImportShape.Of(result.GetValue(classes), result.GetValue(channels), result.GetValue(imageSize)),
            result.GetValue(scheme) is { } name ? TrainingScheme.Parse(name) : TrainingScheme.Erm() with { Name = "imported" },
            result.GetValue(run) ?? throw new ArgumentException("--run is required: the run folder to create"))));
        return command;
    }

    private static int Import(
        string weightsPath, ZooModel model, int? width, string? datasetName, string? dataPath, ImportShape shape, TrainingScheme scheme, string runFolder)
    {
        PyTorchWeights.FormatOf(weightsPath);
        if (new RunFolder(runFolder).HoldsRun) // before reading any data; checked again under the lock
            throw new InvalidOperationException($"{Path.GetFullPath(runFolder)} already holds a run; choose another --run folder");
        var options = new TrainingOptions();
        ModelSpec spec;
        string trainData;
        string? testData;
        (Normalization Normalization, long[] ImageShape)? images = null;
        if (datasetName is null)
        {
            // Only the shape: nothing to read, and 'nfm eval' of this run needs --dataset.
            spec = shape.Spec(model, width);
            trainData = shape.Describe();
            testData = null;
        }
        else
        {
            var (train, test) = DatasetCatalog.Load(datasetName, dataPath, options.Seed);
            using (train)
            using (test)
            {
                spec = ModelSpec.For(model, width, datasetName, dataPath is null ? null : Path.GetFullPath(dataPath), train);
                shape.EnsureAgrees(spec, datasetName);
                (trainData, testData) = (train.Name, test.Name);
                images = train.Normalization is { } normalization ? (normalization, train.InputShape) : null;
            }
        }

        var nfmNetwork = spec.CreateNetwork();
        using var network = nfmNetwork.Module;
        PyTorchWeights.Import(network, weightsPath);

        var info = nfmNetwork.Info;
        var parameters = Checkpoint.ParameterCount(network);
        // The trainer's write protocol: the folder's lock from here on, and nothing left behind if the import fails.
        using var run = NewRun.Begin(runFolder);
        // The checkpoint is a companion file, written before run.json: a run folder without it would resume from random
        // weights. It is the trainer's before its first step: the weights, no optimiser state, and the mixer's generator
        // states (seeded as the trainer seeds them), so that the folder is a complete run folder.
        run.Start(new RunManifest(info.Name, parameters, spec.Classes, trainData, testData, scheme, options, DateTimeOffset.UtcNow), folder =>
        {
            spec.Save(folder);
            using var scope = NewDisposeScope();
            using var mixer = scheme.CreateMixer(new MixerContext(info, Seeds.Derive(options.Seed, Seeds.MixerStream), CPU)
            {
                Network = nfmNetwork,
                Normalization = images?.Normalization,
                ImageShape = images?.ImageShape,
                DataName = trainData,
            });
            folder.SaveCheckpoint(new CheckpointHeader(info.Name, parameters, spec.Classes, scheme, TrainingProgress.Start), network, optimizer: null, mixer.GetState());
        });

        Console.WriteLine($"Imported {Path.GetFullPath(weightsPath)} into {run.Folder.Path}: {info.Name} ({model.Name}, {parameters:N0} parameters) for {trainData}. "
            + (datasetName is null ? $"Evaluate it with: nfm eval --run {runFolder} --dataset <name> --data <folder>" : $"Evaluate it with: nfm eval --run {runFolder}"));
        return 0;
    }
}
