using System.CommandLine;
using NfmGen.Cli.Data;
using NfmGen.Models;
using NfmGen.Training;

namespace NfmGen.Cli.Commands;

/// <summary>
/// <c>nfm train</c>: declares its options and parses them into a <see cref="TrainRequest"/>, which
/// <see cref="TrainRun"/> carries out. Every default is the options types' own, or the dataset's recipe's
/// (<see cref="SchemeCatalog.RecipeFor"/>) where it has one.
/// </summary>
internal sealed class TrainCommand
{
    private static readonly string[] Schedules = ["step", "cosine", "constant"];
    private static readonly string[] Layouts = ["auto", "channels-last", "nchw"];
    private static readonly TrainingOptions Defaults = new();
    private static readonly TrainingOptions ImageNet = DatasetRecipe.ImageNet.Options;
    private static readonly StepDecaySchedule Reference = (StepDecaySchedule)LearningRateSchedule.Reference;

    private readonly Option<string> model = new Option<string>("--model") { Description = $"The network: {string.Join(", ", ModelZoo.Names)} (see 'nfm models')." }.OneOf(ModelZoo.Names);
    private readonly Option<int?> width = new("--width") { Description = "The network's width (channels of its first stage; 64 is the paper's PreActResNet-18)." };
    private readonly Option<string> dataset = new Option<string>("--dataset") { Description = $"The data: {string.Join(", ", DatasetCatalog.Names)}." }.OneOf(DatasetCatalog.Names);
    private readonly Option<string?> data = new("--data") { Description = "Folder of the dataset's files (Fashion-MNIST defaults to the Debian package's folder); for csv, the CSV file." };
    private readonly SchemeArguments scheme = new();
    private readonly Option<int> epochs = new Option<int>("--epochs") { Description = "Training epochs.", DefaultValueFactory = _ => Defaults.Epochs }.AtLeast(1);
    private readonly Option<int> batchSize = new Option<int>("--batch-size") { Description = $"Batch size (imagenet: {ImageNet.BatchSize}, its recipe's).", DefaultValueFactory = _ => Defaults.BatchSize }.AtLeast(2);
    private readonly Option<double> learningRate = new("--lr") { Description = "Base learning rate of SGD.", DefaultValueFactory = _ => Defaults.LearningRate };
    private readonly Option<double> weightDecay = new("--weight-decay")
    {
        Description = FormattableString.Invariant($"Weight decay (imagenet: {ImageNet.WeightDecay}, its recipe's)."), DefaultValueFactory = _ => Defaults.WeightDecay,
    };
    private readonly Option<bool> nesterov = new("--nesterov") { Description = "Nesterov momentum (NoisyMix's recipe trains with it)." };
    private readonly Option<string> schedule = new Option<string>("--schedule") { Description = "Learning-rate schedule: step, cosine or constant.", DefaultValueFactory = _ => "step" }.OneOf(Schedules);
    private readonly Option<string?> milestones = new("--milestones") { Description = "Epochs of the step schedule's decays, such as 100,150,180 (default: at 50%, 75% and 90% of the run, as the reference's 100/150/180 of 200)." };
    private readonly Option<double> gamma = new("--gamma") { Description = "Factor of each step decay.", DefaultValueFactory = _ => Reference.Gamma };
    private readonly Option<double> warmup = new("--warmup") { Description = "Epochs of linear learning-rate warm-up.", DefaultValueFactory = _ => Reference.WarmupEpochs };
    private readonly Option<long> seed = new("--seed") { Description = "Seed of every random choice.", DefaultValueFactory = _ => Defaults.Seed };
    private readonly Option<string> device = new("--device") { Description = "auto, cpu, cuda or cuda:N.", DefaultValueFactory = _ => Defaults.Device };
    private readonly Option<string?> run = new("--run") { Description = "The run folder (default: runs/<model>[-w<width>]-<dataset>-<scheme and its changes>-s<seed>)." };
    private readonly Option<bool> resume = new("--resume") { Description = "Continue the run in --run from its last checkpoint, with its own settings." };
    private readonly Option<bool> noAugment = new("--no-augment") { Description = "Train without random crops and flips." };
    private readonly Option<bool> dropLast = new("--drop-last") { Description = "Drop each epoch's last, smaller batch (by default it is trained, as PyTorch's loader does; a last batch of one sample is always dropped)." };
    private readonly Option<int?> stepsPerEpoch = new("--steps-per-epoch") { Description = "Stop each epoch after this many steps (quick runs)." };
    private readonly Option<int> checkpointEvery = new Option<int>("--checkpoint-every") { Description = "Also checkpoint every N steps (0: at the end of each epoch only).", DefaultValueFactory = _ => Defaults.CheckpointEverySteps }.AtLeast(0);
    private readonly Option<string> layout = new Option<string>("--layout")
    {
        Description = "Memory layout of image batches: auto (channels-last on the CPU, where its convolutions are much faster; NCHW on CUDA), channels-last or nchw.",
        DefaultValueFactory = _ => "auto",
    }.OneOf(Layouts);
    private readonly TrackingArguments tracking = new();
    private readonly ImageFolderOptionArguments images = new();
    private readonly TableArguments table = new();
    private readonly Command command;

    private TrainCommand()
    {
        command = new Command("train",
            $"Train a network with a scheme; writes a run folder ({RunFolder.ManifestFileName}, {RunFolder.MetricsFileName}, {RunFolder.CheckpointFileName}) that --resume continues.");
        foreach (var option in (IEnumerable<Option>)[model, width, dataset, data, .. scheme.All, epochs, batchSize, learningRate, weightDecay, nesterov, schedule, milestones,
                     gamma, warmup, seed, device, run, resume, noAugment, dropLast, stepsPerEpoch, checkpointEvery, layout, .. tracking.All, .. images.All, .. table.All])
            command.Options.Add(option);
        command.SetAction((result, cancellationToken) => Task.FromResult(CommandErrors.Run(() => TrainRun.Execute(Request(result), cancellationToken))));
    }

    /// <summary>The <c>train</c> command.</summary>
    public static Command Create() => new TrainCommand().command;

    /// <summary>The request that <paramref name="arguments"/> (<c>nfm train</c>'s, without the command's name) make.</summary>
    /// <exception cref="ArgumentException">The arguments do not parse, or do not make a valid run; the message says why.</exception>
    public static TrainRequest Parse(IReadOnlyList<string> arguments)
    {
        var parser = new TrainCommand();
        return parser.Request(OptionParsing.Parse(parser.command, arguments));
    }

    private TrainRequest Request(ParseResult result)
    {
        if (result.GetValue(resume))
        {
            var ignored = command.Options.Where(option => option != run && option != resume && result.GetResult(option) is { Implicit: false }).ToList();
            if (ignored.Count > 0)
                throw new ArgumentException($"--resume continues the run with the settings in its {RunFolder.ManifestFileName}; drop {string.Join(", ", ignored.Select(option => option.Name))}");
            return TrainRequest.Resume(result.GetValue(run) ?? throw new ArgumentException("--resume needs --run, the folder of the run to continue"));
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
            Nesterov = result.GetValue(nesterov),
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
        var start = new NewTraining(zooModel, result.GetValue(width), datasetName, result.GetValue(data), images.Parse(result, datasetName), trainingScheme, options,
            table.Parse(result, datasetName));
        var folder = result.GetValue(run) ?? TrainRun.DefaultRunFolder(start);
        start = start with { Options = tracking.Apply(result, options, folder) };
        return new TrainRequest(folder, start);
    }

    // The step schedule decays at the reference's fractions of the run unless --milestones names epochs.
    private static LearningRateSchedule Schedule(string name, string? milestones, double gamma) => name switch
    {
        "cosine" => new CosineSchedule(),
        "constant" => new ConstantSchedule(),
        _ when milestones is null => Reference with { Gamma = gamma },
        _ => new StepDecaySchedule(OptionParsing.Integers(milestones, "--milestones").Select(epoch => (double)epoch).ToList(), gamma),
    };
}
