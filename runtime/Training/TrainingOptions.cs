using System.Text.Json.Serialization;
using static System.FormattableString;

namespace NfmGen.Training;

/// <summary>
/// How to train: the optimiser, schedule, batching, seed and device. The defaults are the NFM reference recipe
/// (SGD, momentum 0.9, weight decay 5e-4, learning rate 0.1, batch 128, 200 epochs, x0.1 at 100/150/180, that is at
/// 50%, 75% and 90% of the run whatever its length).
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>Number of epochs (at least 1).</summary>
    public int Epochs { get; init; } = 200;

    /// <summary>Training batch size (at least 2: mixing pairs samples within a batch).</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Batch size for evaluation.</summary>
    public int EvaluationBatchSize { get; init; } = 512;

    /// <summary>The base learning rate of SGD.</summary>
    public double LearningRate { get; init; } = 0.1;

    /// <summary>SGD momentum, in [0, 1).</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>Nesterov momentum instead of plain momentum (NoisyMix's recipe trains with it); needs <see cref="Momentum"/> &gt; 0.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] // run.json of runs without it stays as it was
    public bool Nesterov { get; init; }

    /// <summary>L2 weight decay, at least 0.</summary>
    public double WeightDecay { get; init; } = 5e-4;

    /// <summary>The learning-rate schedule over the epochs.</summary>
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Reference;

    /// <summary>The seed of every random choice: initialisation, data order, augmentation, mixing, noise.</summary>
    public long Seed { get; init; }

    /// <summary>The device: <c>auto</c> (CUDA when available, else CPU), <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
    public string Device { get; init; } = Devices.Auto;

    /// <summary>Whether training images get random crops and flips (the CIFAR recipe). Never applied to evaluation or to feature data.</summary>
    public bool Augment { get; init; } = true;

    /// <summary>
    /// Whether image batches are laid out channels-last (<see cref="NfmGen.Network.ChannelsLast"/>) for training and evaluation;
    /// null (the default): on the CPU, where oneDNN's convolutions run much faster on it, and off on CUDA. A new run
    /// records the resolved value in its run.json, so that a resumed run keeps its layout (and so its noise draws).
    /// </summary>
    public bool? ChannelsLast { get; init; }

    /// <summary>
    /// Whether each epoch drops its last, smaller batch. False by default, as the reference code's PyTorch loader: with
    /// batches of 128, 469 steps on Fashion-MNIST's 60,000 images. A last batch of a single sample is dropped all the
    /// same, since batch norm cannot normalise one sample in training mode (PyTorch refuses it). A run.json written
    /// before this option existed reads as true, which is what those runs did.
    /// </summary>
    public bool DropLast { get; init; }

    /// <summary>When set, each epoch stops after this many steps (for quick runs and tests).</summary>
    public int? StepsPerEpoch { get; init; }

    /// <summary>Also write a checkpoint every this many steps (0: only at the end of each epoch).</summary>
    public int CheckpointEverySteps { get; init; }

    /// <summary>
    /// Hold out this fraction of the training data, class by class and seeded, as a validation split evaluated after
    /// each epoch (0: none). The run records it, and a resume rebuilds it exactly.
    /// </summary>
    public double ValidationFraction { get; init; }

    /// <summary>
    /// What chooses the best epoch on the validation split, whose weights the run keeps in <c>best.bin</c>:
    /// <c>accuracy</c> (highest) or <c>loss</c> (lowest). Without a validation split there is no best epoch.
    /// </summary>
    public string BestMetric { get; init; } = BestMetrics.Accuracy;

    /// <summary>
    /// Keep an exponential moving average of the weights (timm's <c>--model-ema</c>), updated after every step, saved in
    /// each checkpoint and evaluated after each epoch beside the weights themselves.
    /// </summary>
    public bool ModelEma { get; init; }

    /// <summary>The moving average's decay per step (timm's <c>--model-ema-decay</c>).</summary>
    public double ModelEmaDecay { get; init; } = 0.9998;

    /// <summary>Start the moving average's decay low and let it rise to <see cref="ModelEmaDecay"/> (timm's <c>ModelEmaV3</c> warm-up).</summary>
    public bool ModelEmaWarmup { get; init; }

    /// <summary>
    /// Write TensorBoard event files: each epoch's losses, accuracies, learning rate and throughput, and the training
    /// loss every <see cref="TensorBoardEverySteps"/> steps, against the global step.
    /// </summary>
    public bool TensorBoard { get; init; } = true;

    /// <summary>Log the training loss to TensorBoard every this many steps (0: once per epoch only).</summary>
    public int TensorBoardEverySteps { get; init; } = 50;

    /// <summary>
    /// The folder of this run's TensorBoard event files (one folder per run: TensorBoard names a run after its folder),
    /// absolute or relative to the run folder; null for the run folder itself.
    /// </summary>
    public string? TensorBoardFolder { get; init; }

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it, its value and what is accepted.</exception>
    public void Validate()
    {
        Require(Epochs >= 1, nameof(Epochs), Epochs, ">= 1");
        Require(BatchSize >= 2, nameof(BatchSize), BatchSize, ">= 2");
        Require(EvaluationBatchSize >= 1, nameof(EvaluationBatchSize), EvaluationBatchSize, ">= 1");
        Require(double.IsFinite(LearningRate) && LearningRate > 0, nameof(LearningRate), LearningRate, "> 0");
        Require(double.IsFinite(Momentum) && Momentum is >= 0 and < 1, nameof(Momentum), Momentum, "in [0, 1)");
        Require(double.IsFinite(WeightDecay) && WeightDecay >= 0, nameof(WeightDecay), WeightDecay, ">= 0");
        if (Nesterov && Momentum == 0)
            throw new ArgumentException("Nesterov momentum needs a Momentum > 0 (was 0)", nameof(Nesterov));
        Require(StepsPerEpoch is null or >= 1, nameof(StepsPerEpoch), StepsPerEpoch ?? 0, ">= 1 when set");
        Require(CheckpointEverySteps >= 0, nameof(CheckpointEverySteps), CheckpointEverySteps, ">= 0");
        Require(double.IsFinite(ValidationFraction) && ValidationFraction is >= 0 and < 1, nameof(ValidationFraction), ValidationFraction, "in [0, 1)");
        Require(double.IsFinite(ModelEmaDecay) && ModelEmaDecay is >= 0 and < 1, nameof(ModelEmaDecay), ModelEmaDecay, "in [0, 1)");
        if (BestMetric is not (BestMetrics.Accuracy or BestMetrics.Loss))
            throw new ArgumentException($"BestMetric must be {BestMetrics.Accuracy} or {BestMetrics.Loss} (was '{BestMetric}')", nameof(BestMetric));
        Require(TensorBoardEverySteps >= 0, nameof(TensorBoardEverySteps), TensorBoardEverySteps, ">= 0");
        ArgumentNullException.ThrowIfNull(Schedule);
        Schedule.Validate();
        (Schedule as StepDecaySchedule)?.ValidateFor(Epochs);
        Devices.Parse(Device);
    }

    private static void Require(bool valid, string name, double value, string accepted)
    {
        if (!valid)
            throw new ArgumentException(Invariant($"{name} must be {accepted} (was {value})"), name);
    }
}

/// <summary>The metrics that can choose a run's best epoch (<see cref="TrainingOptions.BestMetric"/>).</summary>
internal static class BestMetrics
{
    /// <summary>The highest validation accuracy.</summary>
    public const string Accuracy = "accuracy";

    /// <summary>The lowest validation loss.</summary>
    public const string Loss = "loss";
}
