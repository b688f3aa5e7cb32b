using System.Diagnostics;
using System.Text.Json.Nodes;
using NfmGen.Data;
using NfmGen.Models;
using NfmGen.Training;

namespace NfmGen.Tests.Training;

/// <summary>
/// The run folder: its lock, starts that fail, damaged checkpoints and manifests, the options recorded for resumes,
/// and what an epoch's metrics measure.
/// </summary>
[Collection(GlobalGeneratorCollection.Name)]
public sealed class RunFolderTests : TinyRunsTest
{
    private TrainedRun<SmallConvNet> Train(
        string folder, TrainingOptions options, ITrainingListener? listener = null, CancellationToken token = default,
        Action<RunFolder>? companions = null, LabeledDataset? data = null) =>
        NfmTrainer.Train(() => TinyTraining.Network(), TrainingScheme.Nfm(), data ?? train, test, options, runs.File(folder),
            listener ?? TinyTraining.Silent, token, companions);

    private TrainedRun<SmallConvNet> Resume(string folder, ITrainingListener? listener = null) =>
        NfmTrainer.Resume(() => TinyTraining.Network(), train, test, runs.File(folder), listener ?? TinyTraining.Silent);

    [Fact]
    public void TheLockIsExclusive()
    {
        var folder = new RunFolder(runs.File("run"));
        using var held = folder.Lock();

        var error = Assert.Throws<InvalidOperationException>(() => folder.Lock());
        Assert.Contains($"{folder.Path} is in use by another process", error.Message);
    }

    [Fact]
    public void CompanionFilesAreWrittenUnderTheLockAndRemovedWhenTheStartFails()
    {
        var lockedWhileWriting = false;
        var error = Assert.Throws<IOException>(() => Train("run", TinyTraining.Options(epochs: 1), companions: folder =>
        {
            File.WriteAllText(folder.ModelSpecPath, "{}");
            lockedWhileWriting = Assert.Throws<InvalidOperationException>(() => folder.Lock()) is not null;
            throw new IOException("disk full");
        }));

        Assert.Equal("disk full", error.Message);
        Assert.True(lockedWhileWriting);
        Assert.False(File.Exists(runs.File("run/nfm.json")));
        Assert.False(File.Exists(runs.File("run/run.json")));

        var run = Train("run", TinyTraining.Options(epochs: 1), companions: folder => File.WriteAllText(folder.ModelSpecPath, "spec"));
        run.Network.Dispose();
        Assert.Equal("spec", File.ReadAllText(run.Files.ModelSpecPath));
    }

    [Fact]
    public void ARunThatFailsItsChecksWritesNoCompanionFile()
    {
        var called = false;
        Assert.ThrowsAny<ArgumentException>(() => Train("run", TinyTraining.Options(epochs: 1) with { BatchSize = 1000, DropLast = true },
            companions: _ => called = true));

        Assert.False(called);
        Assert.False(File.Exists(runs.File("run/run.json")));
    }

    [Fact]
    public void ResumeFallsBackToThePreviousCheckpointWhenTheLatestIsDamagedAndSaysSo()
    {
        var options = TinyTraining.Options(epochs: 3);
        using var uninterrupted = Train("whole", options).Network;

        using var cancel = new CancellationTokenSource();
        var interrupter = new TinyTraining.Interrupter(cancel, cancelAfter: metrics => metrics.Epoch == 2);
        Assert.ThrowsAny<OperationCanceledException>(() => Train("split", options, interrupter, cancel.Token));
        var folder = new RunFolder(runs.File("split"));
        Assert.Equal(2, Checkpoint.ReadHeader(folder.PreviousCheckpointPath).Progress.Epoch); // the end of epoch 2
        FlipABit(folder.CheckpointPath);                                                     // a step into epoch 3

        var messages = new MessageRecorder();
        var resumed = Resume("split", messages);
        using var network = resumed.Network;

        TinyTraining.AssertSameWeights(uninterrupted, network);
        Assert.Equal([1, 2, 3], resumed.Metrics.Select(metrics => metrics.Epoch));
        var message = Assert.Single(messages.Messages);
        Assert.Contains($"{folder.CheckpointPath} is damaged: its payload does not match its SHA-256 checksum", message);
        Assert.Contains($"Resumed from the previous checkpoint, {folder.PreviousCheckpointPath}, at epoch 3", message);
    }

    [Fact]
    public void ResumeRefusesWhenBothCheckpointsAreDamaged()
    {
        Train("run", TinyTraining.Options(epochs: 2)).Network.Dispose();
        var folder = new RunFolder(runs.File("run"));
        FlipABit(folder.CheckpointPath);
        FlipABit(folder.PreviousCheckpointPath);

        var error = Assert.Throws<CheckpointDamagedException>(() => Resume("run"));
        Assert.Equal(folder.PreviousCheckpointPath, error.Path);
    }

    [Fact]
    public void EachCheckpointKeepsTheOneBefore()
    {
        var run = Train("run", TinyTraining.Options(epochs: 2));
        run.Network.Dispose();

        Assert.Equal(2, Checkpoint.ReadHeader(run.Files.CheckpointPath).Progress.Epoch);
        Assert.Equal(1, Checkpoint.ReadHeader(run.Files.PreviousCheckpointPath).Progress.Epoch);
    }

    [Fact]
    public void AManifestWithoutItsFieldsIsRefusedNamingTheFileAndTheField()
    {
        var folder = new RunFolder(runs.File("run"));
        Directory.CreateDirectory(folder.Path);
        File.WriteAllText(folder.ManifestPath, "{}");

        var error = Assert.Throws<InvalidDataException>(() => Resume("run"));
        Assert.Contains($"{folder.ManifestPath} is not a complete run manifest: it has no \"network\"", error.Message);
    }

    [Fact]
    public void AManifestWithoutItsSchemesMethodIsRefusedNamingTheField()
    {
        var run = Train("run", TinyTraining.Options(epochs: 1));
        run.Network.Dispose();
        EditManifest(run.Files, manifest => manifest["scheme"]!.AsObject().Remove("method"));

        var error = Assert.Throws<InvalidDataException>(() => run.Files.ReadManifest());
        Assert.Contains("it has no \"scheme.method\"", error.Message);
    }

    [Fact]
    public void TheLastPartialBatchIsTrainedByDefaultAndDroppedOnRequest()
    {
        using var hundred = TinyTraining.Images(100, seed: 1, "tiny-100");
        using var ninetySeven = TinyTraining.Images(97, seed: 1, "tiny-97");

        Assert.Equal(7, StepsPerEpoch("default", TinyTraining.Options(epochs: 1), hundred));           // 6 of 16, then 4
        Assert.Equal(6, StepsPerEpoch("drop", TinyTraining.Options(epochs: 1) with { DropLast = true }, hundred));
        Assert.Equal(6, StepsPerEpoch("single", TinyTraining.Options(epochs: 1), ninetySeven));        // the last, of 1 sample, is dropped
        Assert.Contains("\"dropLast\": false", File.ReadAllText(runs.File("default/run.json")));
        Assert.Contains("\"dropLast\": true", File.ReadAllText(runs.File("drop/run.json")));
    }

    [Fact]
    public void ARunFromBeforeTheDropLastOptionKeepsDroppingTheLastBatchWhenResumed()
    {
        using var hundred = TinyTraining.Images(100, seed: 1, "tiny-100");
        var options = TinyTraining.Options(epochs: 2) with { DropLast = true };
        var whole = NfmTrainer.Train(() => TinyTraining.Network(), TrainingScheme.Nfm(), hundred, test, options, runs.File("whole"), TinyTraining.Silent);
        using var uninterrupted = whole.Network;

        using var cancel = new CancellationTokenSource();
        var interrupter = new TinyTraining.Interrupter(cancel, cancelAt: step => step.Epoch == 2 && step.Step == 2);
        Assert.ThrowsAny<OperationCanceledException>(() =>
            NfmTrainer.Train(() => TinyTraining.Network(), TrainingScheme.Nfm(), hundred, test, options, runs.File("old"), interrupter, cancel.Token));
        var folder = new RunFolder(runs.File("old"));
        EditManifest(folder, manifest => Assert.True(manifest["options"]!.AsObject().Remove("dropLast")));
        Assert.True(folder.ReadManifest().Options.DropLast);

        var steps = new StepRecorder();
        var resumed = NfmTrainer.Resume(() => TinyTraining.Network(), hundred, test, folder.Path, steps);
        using var network = resumed.Network;

        Assert.Equal(6, steps.StepsPerEpoch);
        TinyTraining.AssertSameWeights(uninterrupted, network);
    }

    [Fact]
    public void EpochSecondsCountTheEvaluationOnceAndThroughputExcludesIt()
    {
        var delay = HandWrittenNet.EvaluationDelay.TotalSeconds;
        var clock = Stopwatch.StartNew();
        var run = NfmTrainer.Train(() => new HandWrittenNet(HandWrittenNet.Defect.SlowEvaluation), TrainingScheme.Erm(), train, test,
            TinyTraining.Options(epochs: 2) with { StepsPerEpoch = 1 }, runs.File("run"), TinyTraining.Silent);
        var wall = clock.Elapsed.TotalSeconds;
        run.Network.Dispose();

        Assert.True(run.Metrics.Sum(metrics => metrics.Seconds) <= wall, $"epochs of {string.Join(" + ", run.Metrics.Select(m => m.Seconds))} s in {wall} s");
        foreach (var metrics in run.Metrics)
        {
            var evaluation = metrics.EvaluationSeconds!.Value;
            var training = metrics.Seconds - evaluation;
            Assert.True(evaluation >= delay, $"evaluation {evaluation} s, shorter than its forward's sleep");
            Assert.True(training >= 0 && training < delay, $"training {training} s of one tiny step counts the evaluation ({metrics})");
            Assert.Equal(TinyTraining.Options().BatchSize / training, metrics.ImagesPerSecond, 6);
        }
    }

    private int StepsPerEpoch(string folder, TrainingOptions options, LabeledDataset data)
    {
        var steps = new StepRecorder();
        Train(folder, options, steps, data: data).Network.Dispose();
        return steps.StepsPerEpoch;
    }

    private static void FlipABit(string path)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x04;
        File.WriteAllBytes(path, bytes);
    }

    private static void EditManifest(RunFolder folder, Action<JsonObject> edit)
    {
        var manifest = JsonNode.Parse(File.ReadAllText(folder.ManifestPath))!.AsObject();
        edit(manifest);
        File.WriteAllText(folder.ManifestPath, manifest.ToJsonString());
    }

    private sealed class MessageRecorder : ITrainingListener
    {
        public List<string> Messages { get; } = [];

        public void OnStep(StepReport step)
        {
        }

        public void OnEpoch(EpochMetrics metrics, int totalEpochs)
        {
        }

        public void OnMessage(string message) => Messages.Add(message);
    }

    private sealed class StepRecorder : ITrainingListener
    {
        public int StepsPerEpoch { get; private set; }

        public void OnStep(StepReport step) => StepsPerEpoch = step.StepsPerEpoch;

        public void OnEpoch(EpochMetrics metrics, int totalEpochs)
        {
        }
    }
}
