using System.CommandLine;
using System.Text.RegularExpressions;
using NfmGen.Cli.Data;
using NfmGen.Data.Images;
using NfmGen.Models;
using NfmGen.Training;
using static TorchSharp.torch;

namespace NfmGen.Cli.Commands;

/// <summary><c>nfm train</c>: trains a zoo model on a dataset with a scheme, into a resumable run folder.</summary>
internal static class TrainCommand
{
    private static readonly string[] Schedules = ["step", "cosine", "constant"];
    private static readonly string[] Layouts = ["auto", "channels-last", "nchw"];

    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = $"The network: {string.Join(", ", ModelZoo.Names)} (see 'nfm models')." }.OneOf(ModelZoo.Names);
        var width = new Option<int?>("--width") { Description = "The network's width (channels of its first stage; 64 is the paper's PreActResNet-18)." };
        var dataset = new Option<string>("--dataset") { Description = $"The data: {string.Join(", ", DatasetCatalog.Names)}." }.OneOf(DatasetCatalog.Names);
        var data = new Option<string?>("--data") { Description = "Folder of the dataset's files (Fashion-MNIST defaults to the Debian package's folder)." };
        var scheme = new Option<string>("--scheme")
        {
            Description = $"The training scheme: {string.Join("; ", SchemeCatalog.All.Select(preset => $"{preset.Name} ({preset.Summary})"))}.",
            DefaultValueFactory = _ => "nfm",
        }.OneOf(SchemeCatalog.Names);
        var alpha = new Option<double?>("--alpha") { Description = "Mixing: lambda ~ Beta(alpha, alpha) (0 turns mixing off); CutMix's alpha for cutmix, Puzzle Mix's for puzzlemix." };
        var adversarialProbability = new Option<double?>("--adv-p")
        {
            Description = "puzzlemix: the probability of its adversarial step per side and batch, in [0, 1] (the reference's adversarial Puzzle Mix: 0.1; default 0, off).",
        };
        var adversarialEpsilon = new Option<double?>("--adv-eps")
        {
            Description = FormattableString.Invariant($"puzzlemix with --adv-p: the adversarial step's size in 1/255 pixel units (default {new PuzzleMixOptions().AdversarialEpsilon}, the reference's)."),
        };
        var additive = new Option<double?>("--add-noise") { Description = FormattableString.Invariant($"Additive noise level (NFM: {NfmPresets.AdditiveNoise}).") };
        var multiplicative = new Option<double?>("--mult-noise") { Description = FormattableString.Invariant($"Multiplicative noise level (NFM: {NfmPresets.MultiplicativeNoise}).") };
        var mixPoints = new Option<string?>("--mix-points") { Description = "Where to mix: all, input, or mix points such as 0,1,2 (see 'nfm models')." };
        var fixedNoise = new Option<bool>("--fixed-noise") { Description = "Use the noise levels as given, instead of scaling each by a Beta(2, 5) draw per batch as the reference code." };
        var smoothing = new Option<double?>("--label-smoothing") { Description = "Label smoothing of the loss (label-smoothing scheme: 0.1)." };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs.", DefaultValueFactory = _ => 200 }.AtLeast(1);
        var batchSize = new Option<int>("--batch-size") { Description = "Batch size (imagenet: 256, its recipe's).", DefaultValueFactory = _ => 128 }.AtLeast(2);
        var learningRate = new Option<double>("--lr") { Description = "Base learning rate of SGD.", DefaultValueFactory = _ => 0.1 };
        var weightDecay = new Option<double>("--weight-decay") { Description = "Weight decay (imagenet: 1e-4, its recipe's).", DefaultValueFactory = _ => 5e-4 };
        var schedule = new Option<string>("--schedule") { Description = "Learning-rate schedule: step, cosine or constant.", DefaultValueFactory = _ => "step" }.OneOf(Schedules);
        var milestones = new Option<string?>("--milestones") { Description = "Epochs of the step schedule's decays, such as 100,150,180 (default: at 50%, 75% and 90% of the run, as the reference's 100/150/180 of 200)." };
        var gamma = new Option<double>("--gamma") { Description = "Factor of each step decay.", DefaultValueFactory = _ => 0.1 };
        var warmup = new Option<double>("--warmup") { Description = "Epochs of linear learning-rate warm-up.", DefaultValueFactory = _ => 0 };
        var seed = new Option<long>("--seed") { Description = "Seed of every random choice.", DefaultValueFactory = _ => 0 };
        var device = new Option<string>("--device") { Description = "auto, cpu, cuda or cuda:N.", DefaultValueFactory = _ => "auto" };
        var run = new Option<string?>("--run") { Description = "The run folder (default: runs/<model>[-w<width>]-<dataset>-<scheme and its changes>-s<seed>)." };
        var resume = new Option<bool>("--resume") { Description = "Continue the run in --run from its last checkpoint, with its own settings." };
        var noAugment = new Option<bool>("--no-augment") { Description = "Train without random crops and flips." };
        var dropLast = new Option<bool>("--drop-last") { Description = "Drop each epoch's last, smaller batch (by default it is trained, as PyTorch's loader does; a last batch of one sample is always dropped)." };
        var stepsPerEpoch = new Option<int?>("--steps-per-epoch") { Description = "Stop each epoch after this many steps (quick runs)." };
        var layout = new Option<string>("--layout")
        {
            Description = "Memory layout of image batches: auto (channels-last on the CPU, where its convolutions are much faster; NCHW on CUDA), channels-last or nchw.",
            DefaultValueFactory = _ => "auto",
        }.OneOf(Layouts);
        var imageSize = new Option<int?>("--image-size")
        {
            Description = $"Image folders: the side of the square input in pixels (default {new ImageFolderOptions().ImageSize}; random-resized crop for training, resize to 256/224 of it and centre crop for evaluation).",
        }.InRange(8, ImageFolderOptions.MaxImageSize);
        var channels = new Option<int?>("--channels") { Description = "Image folders: 3 (RGB, default) or 1 (grey)." };
        var normalize = new Option<string?>("--normalize") { Description = $"Image folders: the normalisation, {ImageFolderArguments.NormalizeSyntax}." };
        var skipBadImages = new Option<bool>("--skip-bad-images") { Description = "Image folders: skip truncated or undecodable files and count them in each epoch's line (default: stop with an error naming the file)." };
        var maxImagePixels = ImageFolderArguments.MaxImagePixelsOption();
        var workers = new Option<int?>("--workers") { Description = "Image folders: threads that decode and augment (default: the processor count)." };
        var checkpointEvery = new Option<int>("--checkpoint-every") { Description = "Also checkpoint every N steps (0: at the end of each epoch only).", DefaultValueFactory = _ => 0 }.AtLeast(0);

        var command = new Command("train",
            $"Train a network with a scheme; writes a run folder ({RunFolder.ManifestFileName}, {RunFolder.MetricsFileName}, {RunFolder.CheckpointFileName}) that --resume continues.")
        {
            model, width, dataset, data, scheme, alpha, adversarialProbability, adversarialEpsilon, additive, multiplicative, mixPoints, fixedNoise, smoothing, epochs, batchSize,
            learningRate, weightDecay, schedule, milestones, gamma, warmup, seed, device, run, resume, noAugment, dropLast, stepsPerEpoch, checkpointEvery, layout,
            imageSize, channels, normalize, skipBadImages, maxImagePixels, workers,
        };
        command.SetAction((result, cancellationToken) => Task.FromResult(CommandErrors.Run(() =>
        {
            if (result.GetValue(resume))
            {
                var ignored = command.Options.Where(option => option != run && option != resume && result.GetResult(option) is { Implicit: false }).ToList();
                if (ignored.Count > 0)
                    throw new ArgumentException($"--resume continues the run with the settings in its {RunFolder.ManifestFileName}; drop {string.Join(", ", ignored.Select(option => option.Name))}");
                return Resume(result.GetValue(run) ?? throw new ArgumentException("--resume needs --run, the folder of the run to continue"), cancellationToken);
            }

            var datasetName = result.GetValue(dataset) ?? throw new ArgumentException($"--dataset is required (accepted: {string.Join(", ", DatasetCatalog.Names)})");
            // ImageNet takes the paper's Table 3 recipe where an option is not given.
            var imageNet = ImageNetRecipe.AppliesTo(datasetName);
            var modelName = result.GetValue(model) ?? (imageNet ? ImageNetRecipe.Model : null);
            var zooModel = ModelZoo.Find(modelName ?? throw new ArgumentException($"--model is required (accepted: {string.Join(", ", ModelZoo.Names)})"));
            var images = ImageOptions(result, datasetName, imageSize, channels, normalize, skipBadImages, maxImagePixels, workers);
            var trainingScheme = Scheme(
                result, zooModel.Network, scheme, alpha, additive, multiplicative, mixPoints, fixedNoise, smoothing, imageNet, [adversarialProbability, adversarialEpsilon]);
            var options = new TrainingOptions
            {
                Epochs = result.GetValue(epochs),
                BatchSize = imageNet && IsDefault(result, batchSize) ? ImageNetRecipe.BatchSize : result.GetValue(batchSize),
                LearningRate = result.GetValue(learningRate),
                WeightDecay = imageNet && IsDefault(result, weightDecay) ? ImageNetRecipe.WeightDecay : result.GetValue(weightDecay),
                Schedule = Schedule(result.GetValue(schedule)!, result.GetValue(milestones), result.GetValue(gamma)) with { WarmupEpochs = result.GetValue(warmup) },
                Seed = result.GetValue(seed),
                Device = result.GetValue(device)!,
                Augment = !result.GetValue(noAugment),
                DropLast = result.GetValue(dropLast),
                StepsPerEpoch = result.GetValue(stepsPerEpoch),
                CheckpointEverySteps = result.GetValue(checkpointEvery),
                ChannelsLast = result.GetValue(layout)!.ToLowerInvariant() switch { "channels-last" => true, "nchw" => false, _ => null },
            };
            var folder = result.GetValue(run) ?? DefaultRunFolder(zooModel, result.GetValue(width), datasetName, trainingScheme, options.Seed);
            return Train(zooModel, result.GetValue(width), datasetName, result.GetValue(data), images, trainingScheme, options, folder, cancellationToken);
        })));
        return command;
    }

    /// <summary>
    /// runs/&lt;model&gt;[-w&lt;width&gt;]-&lt;dataset&gt;-&lt;scheme&gt;-s&lt;seed&gt;, the scheme with its changes (<c>nfm-alpha-0.2</c>):
    /// runs that differ in what they train get different folders, and a run that only differs in other options is
    /// refused by the trainer, since the folder already holds a run.
    /// </summary>
    internal static string DefaultRunFolder(ZooModel model, int? width, string dataset, TrainingScheme scheme, long seed)
    {
        var slug = Regex.Replace(scheme.Name.ToLowerInvariant(), "[^a-z0-9.]+", "-").Trim('-');
        return Path.Combine("runs", FormattableString.Invariant($"{model.Name}{(width is { } w ? $"-w{w}" : "")}-{dataset}-{slug}-s{seed}"));
    }

    private static TrainingScheme Scheme(
        ParseResult result, NfmNetworkInfo network, Option<string> name, Option<double?> alpha, Option<double?> additive, Option<double?> multiplicative,
        Option<string?> mixPoints, Option<bool> fixedNoise, Option<double?> smoothing, bool imageNet, Option<double?>[] adversarial)
    {
        var preset = TrainingScheme.Parse(result.GetValue(name)!);
        if (preset.Method is not PuzzleMixMethod && adversarial.FirstOrDefault(option => result.GetResult(option) is { Implicit: false }) is { } puzzleMixOnly)
            throw new ArgumentException($"{puzzleMixOnly.Name} applies only to --scheme puzzlemix (its adversarial step); {preset.Name} has none");
        if (imageNet && preset.Method is NfmMethod { Options: var noisy } && (noisy.AdditiveNoise > 0 || noisy.MultiplicativeNoise > 0))
        {
            // The recipe's noise levels are the preset's on ImageNet, so that they do not show as changes in its name.
            preset = preset with
            {
                Method = new NfmMethod(noisy with { AdditiveNoise = ImageNetRecipe.AdditiveNoise, MultiplicativeNoise = ImageNetRecipe.MultiplicativeNoise }),
            };
        }
        var smoothingValue = result.GetValue(smoothing) ?? preset.LabelSmoothing;
        var scheme = preset.Method switch
        {
            CutMixMethod cutMix => preset with { Method = ChangedCutMix(result, cutMix, alpha, [additive, multiplicative, mixPoints, fixedNoise]), LabelSmoothing = smoothingValue },
            NfmMethod nfm => preset with { Method = ChangedNfm(result, nfm, network, alpha, additive, multiplicative, mixPoints, fixedNoise), LabelSmoothing = smoothingValue },
            PuzzleMixMethod puzzleMix => preset with
            {
                Method = ChangedPuzzleMix(result, puzzleMix, alpha, adversarial[0], adversarial[1], [additive, multiplicative, mixPoints, fixedNoise]),
                LabelSmoothing = smoothingValue,
            },
            _ => throw new InvalidOperationException($"nfm train does not know the mixing method {preset.Method.GetType().Name}"),
        };
        // A changed preset says so in its name, which reports and comparisons show: "nfm (alpha 0.2)".
        return scheme == preset ? preset : scheme with { Name = $"{preset.Name} ({Describe(scheme, preset, network)})" };
    }

    private static bool IsDefault(ParseResult result, Option option) => result.GetResult(option) is null or { Implicit: true };

    private static CutMixMethod ChangedCutMix(ParseResult result, CutMixMethod preset, Option<double?> alpha, Option[] mixingOnly)
    {
        if (mixingOnly.FirstOrDefault(option => result.GetResult(option) is { Implicit: false }) is { } unused)
            throw new ArgumentException($"{unused.Name} does not apply to cutmix, which pastes boxes at the input without noise");
        return result.GetValue(alpha) is { } cutMixAlpha ? preset with { Alpha = cutMixAlpha } : preset;
    }

    private static PuzzleMixMethod ChangedPuzzleMix(
        ParseResult result, PuzzleMixMethod preset, Option<double?> alpha, Option<double?> adversarialProbability, Option<double?> adversarialEpsilon, Option[] mixingOnly)
    {
        if (mixingOnly.FirstOrDefault(option => result.GetResult(option) is { Implicit: false }) is { } unused)
            throw new ArgumentException($"{unused.Name} does not apply to puzzlemix, which mixes saliency-chosen blocks at the input without noise");
        var options = preset.Options;
        if (result.GetValue(alpha) is { } puzzleMixAlpha)
            options = options with { Alpha = puzzleMixAlpha };
        if (result.GetValue(adversarialProbability) is { } probability)
            options = options with { AdversarialProbability = probability };
        if (result.GetValue(adversarialEpsilon) is { } epsilon)
            options = options with { AdversarialEpsilon = epsilon };
        // The ranges are the options' own; an ε without a step to size would be silently ignored.
        options.Validate();
        if (result.GetValue(adversarialEpsilon) is { } unusedEpsilon && options.AdversarialProbability == 0)
            throw new ArgumentException(
                FormattableString.Invariant($"--adv-eps {unusedEpsilon} sizes Puzzle Mix's adversarial step, which is off: add --adv-p, its probability (the reference's adversarial Puzzle Mix: --adv-p 0.1 --adv-eps 10)"));
        return preset with { Options = options };
    }

    private static NfmMethod ChangedNfm(
        ParseResult result, NfmMethod preset, NfmNetworkInfo network, Option<double?> alpha, Option<double?> additive, Option<double?> multiplicative,
        Option<string?> mixPoints, Option<bool> fixedNoise)
    {
        var mixing = preset.Options;
        if (result.GetValue(alpha) is { } mixingAlpha)
            mixing = mixing with { Alpha = mixingAlpha };
        if (result.GetValue(additive) is { } add)
            mixing = mixing with { AdditiveNoise = add };
        if (result.GetValue(multiplicative) is { } mult)
            mixing = mixing with { MultiplicativeNoise = mult };
        // Points that select what the preset selects in this network ("0,1,2,3" for "all") keep the preset's own.
        if (result.GetValue(mixPoints) is { } points && MixPointSelection.Parse(points) is var selection
            && !selection.Resolve(network).SequenceEqual(mixing.MixPoints.Resolve(network)))
            mixing = mixing with { MixPoints = selection };
        if (result.GetValue(fixedNoise))
            mixing = mixing with { NoiseScale = NoiseScaleRule.Fixed };
        return preset with { Options = mixing };
    }

    private static string Describe(TrainingScheme scheme, TrainingScheme preset, NfmNetworkInfo network)
    {
        var changes = new List<string>();
        switch (scheme.Method, preset.Method)
        {
            case (NfmMethod { Options: var mixing }, NfmMethod { Options: var original }):
                if (mixing.Alpha != original.Alpha)
                    changes.Add(FormattableString.Invariant($"alpha {mixing.Alpha}"));
                if (mixing.AdditiveNoise != original.AdditiveNoise)
                    changes.Add(FormattableString.Invariant($"add {mixing.AdditiveNoise}"));
                if (mixing.MultiplicativeNoise != original.MultiplicativeNoise)
                    changes.Add(FormattableString.Invariant($"mult {mixing.MultiplicativeNoise}"));
                if (!mixing.MixPoints.Equals(original.MixPoints))
                    changes.Add($"points {string.Join(",", mixing.MixPoints.Resolve(network))}");
                if (mixing.NoiseScale != original.NoiseScale)
                    changes.Add("fixed noise");
                break;
            case (CutMixMethod { Alpha: var alpha }, CutMixMethod { Alpha: var originalAlpha }) when alpha != originalAlpha:
                changes.Add(FormattableString.Invariant($"alpha {alpha}"));
                break;
            case (PuzzleMixMethod { Options: var puzzle }, PuzzleMixMethod { Options: var original }):
                if (puzzle.Alpha != original.Alpha)
                    changes.Add(FormattableString.Invariant($"alpha {puzzle.Alpha}"));
                // The step's size is part of what an adversarial run trains with: "puzzlemix (adv 0.1, eps 10)".
                if (puzzle.AdversarialProbability != original.AdversarialProbability || puzzle.AdversarialEpsilon != original.AdversarialEpsilon)
                    changes.Add(FormattableString.Invariant($"adv {puzzle.AdversarialProbability}, eps {puzzle.AdversarialEpsilon}"));
                break;
        }
        if (scheme.LabelSmoothing != preset.LabelSmoothing)
            changes.Add(FormattableString.Invariant($"smoothing {scheme.LabelSmoothing}"));
        return string.Join(", ", changes);
    }

    private static LearningRateSchedule Schedule(string name, string? milestones, double gamma) => name switch
    {
        "cosine" => new CosineSchedule(),
        "constant" => new ConstantSchedule(),
        _ when milestones is null => new StepDecaySchedule([0.5, 0.75, 0.9], gamma) { FractionsOfRun = true },
        _ => new StepDecaySchedule(OptionParsing.Integers(milestones, "--milestones").Select(epoch => (double)epoch).ToList(), gamma),
    };

    // The image-folder options, refused for other datasets, which fix their own sizes and normalisation.
    private static ImageFolderOptions? ImageOptions(
        ParseResult result, string datasetName, Option<int?> imageSize, Option<int?> channels, Option<string?> normalize, Option<bool> skipBadImages,
        Option<long?> maxImagePixels, Option<int?> workers)
    {
        Option[] given = [.. ((Option[])[imageSize, channels, normalize, skipBadImages, maxImagePixels, workers]).Where(option => result.GetResult(option) is { Implicit: false })];
        if (!DatasetCatalog.IsImageFolder(datasetName))
        {
            return given.Length == 0 ? null
                : throw new ArgumentException($"{string.Join(", ", given.Select(option => option.Name))}: only for --dataset folder or imagenet (was {datasetName})");
        }
        var channelCount = result.GetValue(channels) ?? 3;
        var options = new ImageFolderOptions
        {
            Channels = channelCount,
            Normalization = ImageFolderArguments.ParseNormalize(result.GetValue(normalize), channelCount),
            SkipBadImages = result.GetValue(skipBadImages),
        };
        options = result.GetValue(imageSize) is { } size ? options with { ImageSize = size } : options;
        options = result.GetValue(maxImagePixels) is { } pixels ? options with { MaxImagePixels = pixels } : options;
        options = result.GetValue(workers) is { } count ? options with { Workers = count } : options;
        options.Validate();
        return options;
    }

    private static int Train(
        ZooModel model, int? width, string datasetName, string? dataPath, ImageFolderOptions? images, TrainingScheme scheme, TrainingOptions options, string folder,
        CancellationToken cancellationToken)
    {
        var (train, test) = DatasetCatalog.Load(datasetName, dataPath, options.Seed, images);
        using (train)
        using (test)
        {
            var spec = ModelSpec.For(model, width, datasetName, dataPath is null ? null : Path.GetFullPath(dataPath), train, images);
            Console.WriteLine($"Training {model.Name} on {train} with {scheme.Name} into {Path.GetFullPath(folder)}");
            // The trainer validates, locks the folder and refuses one that holds a run; nfm.json is written under its lock,
            // with run.json, so that a start that fails or loses the race to another process writes nothing.
            var run = NfmTrainer.Train(spec.CreateNetwork, scheme, train, test, options, folder, cancellationToken: cancellationToken,
                writeCompanionFiles: spec.Save);
            run.Network.Module.Dispose();
            Summarize(run.Folder);
            return 0;
        }
    }

    private static int Resume(string folder, CancellationToken cancellationToken)
    {
        var spec = ModelSpec.Load(folder);
        var manifest = new RunFolder(folder).ReadManifest();
        var (train, test) = DatasetCatalog.Load(spec.Dataset, spec.DataPath, manifest.Options.Seed, ImageFolderArguments.Of(spec, manifest), manifest.Images?.ClassNames);
        using (train)
        using (test)
        {
            Console.WriteLine($"Resuming {Path.GetFullPath(folder)}");
            var run = NfmTrainer.Resume(spec.CreateNetwork, train, test, folder, cancellationToken: cancellationToken);
            run.Network.Module.Dispose();
            Summarize(run.Folder);
            return 0;
        }
    }

    private static void Summarize(RunFolder folder)
    {
        var last = folder.ReadMetrics().LastOrDefault();
        if (last?.TestAccuracy is { } accuracy)
            Console.WriteLine($"Done: test accuracy {100 * accuracy:F2}%. Evaluate with: nfm eval --run {folder.Path}");
    }
}
