using NfmGen.Data;
using NfmGen.Models;
using NfmGen.Training;

namespace NfmGen.Tests.Training;

/// <summary>Real data: NFM trains the small convnet on Fashion-MNIST from the Debian package to a useful accuracy.</summary>
public sealed class FashionMnistTrainingTests
{
    [SkippableFact]
    public void NfmReachesAtLeast85PercentTestAccuracy()
    {
        Skip.IfNot(FashionMnist.IsAvailable(),
            $"Fashion-MNIST is not installed at {FashionMnist.DefaultFolder}: run 'apt-get install -y dataset-fashion-mnist' (.ci/run does).");
        using var train = FashionMnist.Load(DatasetSplit.Train);
        using var test = FashionMnist.Load(DatasetSplit.Test);
        using var runs = new TempDirectory();
        var options = new TrainingOptions
        {
            Epochs = 1,
            StepsPerEpoch = 400,
            BatchSize = 128,
            LearningRate = 0.05,
            Schedule = new CosineSchedule { WarmupEpochs = 0.1 },
            Augment = false,
            Seed = 3,
            Device = "cpu",
        };

        var run = NfmTrainer.Train(() => new SmallConvNet(), TrainingScheme.Nfm(), train, test, options, runs.File("nfm"), TinyTraining.Silent);
        run.Network.Dispose();

        var accuracy = run.Metrics.Single().TestAccuracy!.Value;
        Assert.True(accuracy >= 0.85, $"test accuracy {accuracy:P2} after {options.StepsPerEpoch} NFM steps, expected at least 85%");
    }
}
