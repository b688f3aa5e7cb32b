using NfmGen.Data;
using NfmGen.Models;
using NfmGen.Network;
using NfmGen.Training;

namespace NfmGen.Tests.Training;

/// <summary>End-to-end behaviour of the trainer: determinism, resume, the run folder, failures.</summary>
[Collection(GlobalGeneratorCollection.Name)]
public sealed class NfmTrainerTests : TinyRunsTest
{
    private TrainedRun<SmallConvNet> Train(string folder, TrainingScheme scheme, TrainingOptions options, ITrainingListener? listener = null, CancellationToken token = default) =>
        NfmTrainer.Train(() => TinyTraining.Network(), scheme, train, test, options, runs.File(folder), listener ?? TinyTraining.Silent, token);

    [Fact]
    public void SameSeedGivesBitIdenticalWeights()
    {
        using var first = Train("a", TrainingScheme.Nfm(), TinyTraining.Options()).Network;
        using var second = Train("b", TrainingScheme.Nfm(), TinyTraining.Options()).Network;

        TinyTraining.AssertSameWeights(first, second);
    }

    [Fact]
    public void AnotherSeedGivesOtherWeights()
    {
        using var first = Train("a", TrainingScheme.Nfm(), TinyTraining.Options()).Network;
        using var second = Train("b", TrainingScheme.Nfm(), TinyTraining.Options() with { Seed = 12 }).Network;

        Assert.Throws<Xunit.Sdk.TrueException>(() => TinyTraining.AssertSameWeights(first, second));
    }

    [Fact]
    public void ResumedAfterAnEpochEndsBitIdenticalToAnUninterruptedRun()
    {
        var options = TinyTraining.Options(epochs: 3);
        using var uninterrupted = Train("whole", TrainingScheme.Nfm(), options).Network;

        using var cancel = new CancellationTokenSource();
        var interrupter = new TinyTraining.Interrupter(cancel, cancelAfter: metrics => metrics.Epoch == 1);
        Assert.ThrowsAny<OperationCanceledException>(() => Train("split", TrainingScheme.Nfm(), options, interrupter, cancel.Token));
        var resumed = NfmTrainer.Resume(() => TinyTraining.Network(), train, test, runs.File("split"), TinyTraining.Silent);
        using var network = resumed.Network;

        TinyTraining.AssertSameWeights(uninterrupted, network);
        Assert.Equal([1, 2, 3], resumed.Metrics.Select(metrics => metrics.Epoch));
    }

    [Fact]
    public void ResumedMidEpochEndsBitIdenticalToAnUninterruptedRun()
    {
        var options = TinyTraining.Options(epochs: 2) with { CheckpointEverySteps = 2, Augment = true };
        var whole = Train("whole", TrainingScheme.CutMix(), options);
        using var uninterrupted = whole.Network;

        using var cancel = new CancellationTokenSource();
        var interrupter = new TinyTraining.Interrupter(cancel, cancelAt: step => step.Epoch == 2 && step.Step == 3);
        Assert.ThrowsAny<OperationCanceledException>(() => Train("split", TrainingScheme.CutMix(), options, interrupter, cancel.Token));
        Assert.Equal(3, Checkpoint.ReadHeader(runs.File("split/checkpoint.bin")).Progress.BatchesDone);
        var resumed = NfmTrainer.Resume(() => TinyTraining.Network(), train, test, runs.File("split"), TinyTraining.Silent);
        using var network = resumed.Network;

        TinyTraining.AssertSameWeights(uninterrupted, network);
        Assert.Equal(whole.Metrics.Select(metrics => metrics.TrainLoss), resumed.Metrics.Select(metrics => metrics.TrainLoss));
    }

    [Fact]
    public void RunFolderHoldsManifestMetricsAndCheckpoint()
    {
        var run = Train("run", TrainingScheme.Nfm(alpha: 0.5), TinyTraining.Options());
        run.Network.Dispose();

        var manifest = run.Files.ReadManifest();
        Assert.Equal("SmallConvNet", manifest.Network);
        Assert.Equal(TrainingScheme.Nfm(alpha: 0.5), manifest.Scheme);
        Assert.Equal(TinyTraining.Options() with { ChannelsLast = true }, manifest.Options); // the CPU's layout, resolved for resumes
        Assert.Equal(2, run.Files.ReadMetrics().Count);
        Assert.All(run.Metrics, metrics => Assert.InRange(metrics.TestAccuracy!.Value, 0, 1));
        Assert.Equal(2, Checkpoint.ReadHeader(run.Files.CheckpointPath).Progress.Epoch);
        Assert.False(File.Exists(run.Files.CheckpointPath + ".tmp"));
    }

    [Fact]
    public void LearnsTheTinyTask()
    {
        var run = Train("run", TrainingScheme.Nfm(), TinyTraining.Options(epochs: 6));
        run.Network.Dispose();

        Assert.True(run.Metrics[^1].TestAccuracy > 0.9, string.Join("\n", run.Metrics));
        Assert.True(run.Metrics[^1].TrainLoss < run.Metrics[0].TrainLoss);
    }

    [Fact]
    public void RefusesAFolderThatHoldsARun()
    {
        Train("run", TrainingScheme.Erm(), TinyTraining.Options(epochs: 1)).Network.Dispose();

        var error = Assert.Throws<InvalidOperationException>(() => Train("run", TrainingScheme.Erm(), TinyTraining.Options(epochs: 1)));
        Assert.Contains("already holds a run", error.Message);
    }

    [Fact]
    public void ARunThatCannotStartLeavesItsFolderFree()
    {
        var tooLarge = TinyTraining.Options(epochs: 1) with { BatchSize = 1000, DropLast = true };
        Assert.ThrowsAny<ArgumentException>(() => Train("run", TrainingScheme.Erm(), tooLarge));
        Assert.False(File.Exists(runs.File("run/run.json")));

        var run = Train("run", TrainingScheme.Erm(), TinyTraining.Options(epochs: 1));
        run.Network.Dispose();
        Assert.Single(run.Metrics);
    }

    [Fact]
    public void ResumeRefusesAnotherArchitectureWidth()
    {
        Train("run", TrainingScheme.Erm(), TinyTraining.Options(epochs: 1)).Network.Dispose();

        var error = Assert.Throws<InvalidDataException>(() =>
            NfmTrainer.Resume(() => TinyTraining.Network(width: 3), train, test, runs.File("run"), TinyTraining.Silent));
        Assert.Contains("parameter count", error.Message);
    }

    [Fact]
    public void CheckpointRefusesAnotherClassCountOrScheme()
    {
        var run = Train("run", TrainingScheme.Erm(), TinyTraining.Options(epochs: 1));
        using var network = run.Network;

        var classes = Assert.Throws<InvalidDataException>(() =>
            Checkpoint.Load(run.Files.CheckpointPath, network, null, "SmallConvNet", classCount: 7, TrainingScheme.Erm()));
        Assert.Contains("class count: checkpoint 3, run 7", classes.Message);
        var scheme = Assert.Throws<InvalidDataException>(() =>
            Checkpoint.Load(run.Files.CheckpointPath, network, null, "SmallConvNet", TinyTraining.ClassCount, TrainingScheme.Nfm()));
        Assert.Contains("scheme: checkpoint erm", scheme.Message);
        var architecture = Assert.Throws<InvalidDataException>(() =>
            Checkpoint.Load(run.Files.CheckpointPath, network, null, "PreActResNet18", TinyTraining.ClassCount, null));
        Assert.Contains("architecture: checkpoint SmallConvNet, run PreActResNet18", architecture.Message);
    }

    [Fact]
    public void NonFiniteLossStopsTrainingAndKeepsTheLastGoodCheckpoint()
    {
        var options = TinyTraining.Options(epochs: 1) with { LearningRate = 1e12, Schedule = new ConstantSchedule(), CheckpointEverySteps = 1 };

        var error = Assert.Throws<NonFiniteLossException>(() => Train("run", TrainingScheme.Erm(), options));

        Assert.Equal(1, error.Epoch);
        Assert.True(error.Step > 1, $"diverged at step {error.Step}");
        Assert.NotNull(error.LastFiniteLoss);
        Assert.Contains($"at step {error.Step} of epoch 1", error.Message);
        var header = Checkpoint.ReadHeader(runs.File("run/checkpoint.bin"));
        Assert.Equal(error.Step - 1, header.Progress.GlobalStep);
    }
}
