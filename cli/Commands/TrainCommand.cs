using System.CommandLine;
using NfmGen.Cli.Data;
using NfmGen.Models;
using NfmGen.Training;

namespace NfmGen.Cli.Commands;

/// <summary>
/// <c>nfm train</c>: declares and parses its options into a network, data, scheme and <see cref="TrainingOptions"/>,
/// then trains a new run or resumes one (<see cref="TrainRun"/>). Every default is the options types' own, or the
/// dataset's recipe's (<see cref="SchemeCatalog.RecipeFor"/>) where it has one.
/// </summary>
internal static class TrainCommand
{
    private static readonly string[] Schedules = ["step", "cosine", "constant"];
    private static readonly string[] Layouts = ["auto", "channels-last", "nchw"];
    private static readonly TrainingOptions Defaults = new();

    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = $"The network: {string.Join(", ", ModelZoo.Names)} (see 'nfm models')." }.OneOf(ModelZoo.Names);
        var width = new Option<int?>("--width") { Description = "The network's width (channels of its first stage; 64 is the paper's PreActResNet-18)." };
        var dataset = new Option<string>("--dataset") { Description = $"The data: {string.Join(", ", DatasetCatalog.Names)}." }.OneOf(DatasetCatalog.Names);
        var data = new Option<string?>("--data") { Description = "Folder of the dataset's files (Fashion-MNIST defaults to the Debian package's folder)." };
        var scheme = new SchemeArguments();
        var imageNet = DatasetRecipe.ImageNet.Options;
        var epochs = new Option<int>("--epochs") { Description = "Training epochs.", DefaultValueFactory = _ => Defaults.Epochs }.AtLeast(1);
        var batchSize = new Option<int>("--batch-size") { Description = $"Batch size (imagenet: {imageNet.BatchSize}, its recipe's).", DefaultValueFactory = _ => Defaults.BatchSize }.AtLeast(2);
        var learningRate = new Option<double>("--lr") { Description = "Base learning rate of SGD.", DefaultValueFactory = _ => Defaults.LearningRate };
        var weightDecay = new Option<double>("--weight-decay")
        {
            Description = FormattableString.Invariant($"Weight decay (imagenet: {imageNet.WeightDecay}, its recipe's)."), DefaultValueFactory = _ => Defaults.WeightDecay,
        };
        var schedule = new Option<string>("--schedule") { Description = "Learning-rate schedule: step, cosine or constant.", DefaultValueFactory = _ => "step" }.OneOf(Schedules);
        var milestones = new Option<string?>("--milestones") { Description = "Epochs of the step schedule's decays, such as 100,150,180 (default: at 50%, 75% and 90% of the run, as the reference's 100/150/180 of 200)." };
        var reference = (StepDecaySchedule)LearningRateSchedule.Reference;
        var gamma = new Option<double>("--gamma") { Description = "Factor of each step decay.", DefaultValueFactory = _ => reference.Gamma };
        var warmup = new Option<double>("--warmup") { Description = "Epochs of linear learning-rate warm-up.", DefaultValueFactory = _ => reference.WarmupEpochs };
        var seed = new Option<long>("--seed") { Description = "Seed of every random choice.", DefaultValueFactory = _ => Defaults.Seed };
        var device = new Option<string>("--device") { Description = "auto, cpu, cuda or cuda:N.", DefaultValueFactory = _ => Defaults.Device };
        var run = new Option<string?>("--run") { Description = "The run folder (default: runs/<model>[-w<width>]-<dataset>-<scheme and its changes>-s<seed>)." };
        var resume = new Option<bool>("--resume") { Description = "Continue the run in --run from its last checkpoint, with its own settings." };
        var noAugment = new Option<bool>("--no-augment") { Description = "Train without random crops and flips." };
        var dropLast = new Option<bool>("--drop-last") { Description = "Drop each epoch's last, smaller batch (by default it is trained, as PyTorch's loader does; a last batch of one sample is always dropped)." };
        var stepsPerEpoch = new Option<int?>("--steps-per-epoch") { Description = "Stop each epoch after this many steps (quick runs)." };
        var checkpointEvery = new Option<int>("--checkpoint-every") { Description = "Also checkpoint every N steps (0: at the end of each epoch only).", DefaultValueFactory = _ => Defaults.CheckpointEverySteps }.AtLeast(0);
        var layout = new Option<string>("--layout")
        {
            Description = "Memory layout of image batches: auto (channels-last on the CPU, where its convolutions are much faster; NCHW on CUDA), channels-last or nchw.",
            DefaultValueFactory = _ => "auto",
        }.OneOf(Layouts);
        var images = new ImageFolderOptionArguments();

        var command = new Command("train",
            $"Train a network with a scheme; writes a run folder ({RunFolder.ManifestFileName}, {RunFolder.MetricsFileName}, {RunFolder.CheckpointFileName}) that --resume continues.");
        foreach (var option in (IEnumerable<Option>)[model, width, dataset, data, .. scheme.All, epochs, batchSize, learningRate, weightDecay, schedule, milestones,
                     gamma, warmup, seed, device, run, resume, noAugment, dropLast, stepsPerEpoch, checkpointEvery, layout, .. images.All])
            command.Options.Add(option);
        command.SetAction((result, cancellationToken) => Task.FromResult(CommandErrors.Run(() =>
        {
            if (result.GetValue(resume))
            {
                var ignored = command.Options.Where(option => option != run && option != resume && result.GetResult(option) is { Implicit: false }).ToList();
                if (ignored.Count > 0)
                    throw new ArgumentException($"--resume continues the run with the settings in its {RunFolder.ManifestFileName}; drop {string.Join(", ", ignored.Select(option => option.Name))}");
                return TrainRun.Resume(result.GetValue(run) ?? throw new ArgumentException("--resume needs --run, the folder of the run to continue"), cancellationToken);
            }

            var datasetName = result.GetValue(dataset) ?? throw new ArgumentException($"--dataset is required (accepted: {string.Join(", ", DatasetCatalog.Names)})");
            var recipe = SchemeCatalog.RecipeFor(datasetName);
            var zooModel = ModelZoo.Find(result.GetValue(model) ?? recipe?.Model ?? throw new ArgumentException($"--model is required (accepted: {string.Join(", ", ModelZoo.Names)})"));
            // A training option not given takes the recipe's value, where the dataset has one, else the options type's default.
            var defaults = recipe?.Options ?? Defaults;
            T Given<T>(Option<T> option, T fallback) => result.GetResult(option) is { Implicit: false } ? result.GetValue(option)! : fallback;
            var options = defaults with
            {
                Epochs = Given(epochs, defaults.Epochs),
                BatchSize = Given(batchSize, defaults.BatchSize),
                LearningRate = Given(learningRate, defaults.LearningRate),
                WeightDecay = Given(weightDecay, defaults.WeightDecay),
                Schedule = Schedule(result.GetValue(schedule)!, result.GetValue(milestones), result.GetValue(gamma)) with { WarmupEpochs = result.GetValue(warmup) },
                Seed = Given(seed, defaults.Seed),
                Device = Given(device, defaults.Device),
                Augment = !result.GetValue(noAugment),
                DropLast = result.GetValue(dropLast),
                StepsPerEpoch = result.GetValue(stepsPerEpoch),
                CheckpointEverySteps = Given(checkpointEvery, defaults.CheckpointEverySteps),
                ChannelsLast = result.GetValue(layout)!.ToLowerInvariant() switch { "channels-last" => true, "nchw" => false, _ => null },
            };
            var trainingScheme = scheme.Parse(result, zooModel.Network, recipe);
            var folder = result.GetValue(run) ?? TrainRun.DefaultRunFolder(zooModel, result.GetValue(width), datasetName, trainingScheme, options.Seed);
            return TrainRun.Train(zooModel, result.GetValue(width), datasetName, result.GetValue(data), images.Parse(result, datasetName), trainingScheme, options, folder,
                cancellationToken);
        })));
        return command;
    }

    // The step schedule decays at the reference's fractions of the run unless --milestones names epochs.
    private static LearningRateSchedule Schedule(string name, string? milestones, double gamma) => name switch
    {
        "cosine" => new CosineSchedule(),
        "constant" => new ConstantSchedule(),
        _ when milestones is null => (StepDecaySchedule)LearningRateSchedule.Reference with { Gamma = gamma },
        _ => new StepDecaySchedule(OptionParsing.Integers(milestones, "--milestones").Select(epoch => (double)epoch).ToList(), gamma),
    };
}
