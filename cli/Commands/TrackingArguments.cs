using System.CommandLine;
using NfmGen.Training;

namespace NfmGen.Cli.Commands;

/// <summary>
/// The options of <c>nfm train</c> that say what a run keeps beside its weights: the validation split and its best
/// epoch, the weights' moving average, and the TensorBoard events.
/// </summary>
internal sealed class TrackingArguments
{
    private static readonly TrainingOptions Defaults = new();

    public Option<double> ValidationFraction { get; } = new("--val-fraction")
    {
        Description = "Hold out this fraction of the training data, class by class and seeded, as a validation split evaluated each epoch (0: none).",
        DefaultValueFactory = _ => Defaults.ValidationFraction,
    };

    public Option<string> BestMetric { get; } = new Option<string>("--best-metric")
    {
        Description = "With --val-fraction: what chooses the best epoch, whose weights the run keeps in best.bin: accuracy (highest) or loss (lowest).",
        DefaultValueFactory = _ => Defaults.BestMetric,
    }.OneOf([BestMetrics.Accuracy, BestMetrics.Loss]);

    public Option<bool> ModelEma { get; } = new("--model-ema")
    {
        Description = "Keep an exponential moving average of the weights (timm's --model-ema), evaluated each epoch; 'nfm eval --select ema' scores it.",
    };

    public Option<double> ModelEmaDecay { get; } = new("--model-ema-decay")
    {
        Description = FormattableString.Invariant($"The moving average's decay per step (default {Defaults.ModelEmaDecay})."), DefaultValueFactory = _ => Defaults.ModelEmaDecay,
    };

    public Option<bool> ModelEmaWarmup { get; } = new("--model-ema-warmup") { Description = "Let the moving average's decay rise from 0 to its setting (timm's ModelEmaV3 warm-up)." };

    public Option<bool> NoTensorBoard { get; } = new("--no-tensorboard") { Description = "Write no TensorBoard event files." };

    public Option<int> TensorBoardEvery { get; } = new Option<int>("--tensorboard-every")
    {
        Description = "Log the training loss to TensorBoard every N steps (0: each epoch's metrics only).", DefaultValueFactory = _ => Defaults.TensorBoardEverySteps,
    }.AtLeast(0);

    public Option<string?> TensorBoardDir { get; } = new("--tensorboard-dir")
    {
        Description = "Write the TensorBoard events under this folder, in a subfolder named after the run folder, so that 'tensorboard --logdir' on it shows runs by name (default: in the run folder).",
    };

    /// <summary>The options, in the order <c>nfm train --help</c> lists them.</summary>
    public IEnumerable<Option> All => [ValidationFraction, BestMetric, ModelEma, ModelEmaDecay, ModelEmaWarmup, NoTensorBoard, TensorBoardEvery, TensorBoardDir];

    /// <summary><paramref name="options"/> with what these options say, for the run in <paramref name="runFolder"/>.</summary>
    /// <exception cref="ArgumentException">A value is out of range, or an option is given that has no effect without another.</exception>
    public TrainingOptions Apply(ParseResult result, TrainingOptions options, string runFolder)
    {
        bool Given(Option option) => result.GetResult(option) is { Implicit: false };
        var fraction = result.GetValue(ValidationFraction);
        if (!(fraction is >= 0 and < 1))
            throw new ArgumentException(FormattableString.Invariant($"--val-fraction must be in [0, 1) (was {fraction})"));
        if (Given(BestMetric) && fraction == 0)
            throw new ArgumentException("--best-metric chooses the best epoch on the validation split: add --val-fraction");
        var decay = result.GetValue(ModelEmaDecay);
        if (!(decay is >= 0 and < 1))
            throw new ArgumentException(FormattableString.Invariant($"--model-ema-decay must be in [0, 1) (was {decay})"));
        if ((Given(ModelEmaDecay) || Given(ModelEmaWarmup)) && !result.GetValue(ModelEma))
            throw new ArgumentException($"{(Given(ModelEmaDecay) ? ModelEmaDecay.Name : ModelEmaWarmup.Name)} sets the weights' moving average: add --model-ema");
        return WithTracking(result, options, runFolder);
    }

    private TrainingOptions WithTracking(ParseResult result, TrainingOptions options, string runFolder) => options with
    {
        ValidationFraction = result.GetValue(ValidationFraction),
        BestMetric = result.GetValue(BestMetric)!.ToLowerInvariant(),
        ModelEma = result.GetValue(ModelEma),
        ModelEmaDecay = result.GetValue(ModelEmaDecay),
        ModelEmaWarmup = result.GetValue(ModelEmaWarmup),
        TensorBoard = !result.GetValue(NoTensorBoard),
        TensorBoardEverySteps = result.GetValue(TensorBoardEvery),
        TensorBoardFolder = result.GetValue(TensorBoardDir) is { } root
            ? Path.GetFullPath(Path.Combine(root, Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(runFolder)))))
            : options.TensorBoardFolder,
    };
}
