using NfmGen.Data;
using NfmGen.Models;
using NfmGen.Reports;
using NfmGen.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NfmGen.Cli.Demo;

/// <summary>
/// The paper's toy experiment: a noisy two-moons task, the small MLP trained with each scheme, and each model's
/// accuracy on clean and noisy test points.
/// </summary>
internal sealed class ToyExperiment(string outputFolder, long seed, int epochs, TextWriter log) : IDisposable
{
    public static readonly double[] NoiseLevels = [0.1, 0.2, 0.3, 0.4];

    private readonly FeatureDataset train = ToyDatasets.TwoMoons(TrainPoints, Jitter, LabelNoise, seed);
    private readonly FeatureDataset test = ToyDatasets.TwoMoons(1000, Jitter, labelNoise: 0, seed + 1);

    public const int TrainPoints = 500;
    public const double Jitter = 0.2;
    public const double LabelNoise = 0.15;
    public const int Hidden = 128;

    /// <summary>The schemes the demo compares, in the order of the paper's figure.</summary>
    public static IReadOnlyList<TrainingScheme> Schemes { get; } =
    [
        TrainingScheme.Erm(),
        TrainingScheme.NoiseInjection(),
        TrainingScheme.InputMixup(),
        TrainingScheme.ManifoldMixup(),
        TrainingScheme.Nfm(),
    ];

    public FeatureDataset Test => test;

    /// <summary>Trains one model with <paramref name="scheme"/> and measures it.</summary>
    public (ToyMlp Model, ReportRow Row) Run(TrainingScheme scheme, CancellationToken cancellationToken)
    {
        var runFolder = Path.Combine(outputFolder, "runs", scheme.Name);
        if (new RunFolder(runFolder).HoldsRun)
            Directory.Delete(runFolder, recursive: true);
        var options = new TrainingOptions
        {
            Epochs = epochs,
            BatchSize = 50,
            LearningRate = 0.1,
            WeightDecay = 0,
            Schedule = new CosineSchedule(),
            Augment = false,
            Seed = seed,
            Device = "cpu",
        };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var run = NfmTrainer.Train(() => new ToyMlp(hidden: Hidden), scheme, train, test, options, runFolder, new SilentProgress(), cancellationToken);
        var clean = run.Metrics[^1].TestAccuracy!.Value;
        var noisy = NoiseLevels.Select(sigma => PerturbationResult.WhiteNoise(sigma, FeatureNoise.Accuracy(run.Network, test, sigma, seed + 2))).ToList();
        log.WriteLine($"  {scheme.Name,-15} clean {100 * clean,5:F1}%   sigma 0.4 {100 * noisy[^1].Accuracy,5:F1}%   ({clock.Elapsed.TotalSeconds:F1} s)");
        return (run.Network, new ReportRow(scheme.Name, clean, noisy));
    }

    public void Dispose()
    {
        train.Dispose();
        test.Dispose();
    }

    private sealed class SilentProgress : ITrainingListener
    {
        public void OnStep(StepReport step)
        {
        }

        public void OnEpoch(EpochMetrics metrics, int totalEpochs)
        {
        }
    }
}
