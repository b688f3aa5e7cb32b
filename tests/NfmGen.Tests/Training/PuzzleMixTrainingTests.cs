using NfmGen.Data;
using NfmGen.Mixing;
using NfmGen.Models;
using NfmGen.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NfmGen.Tests.Training;

/// <summary>The trainer with the Puzzle Mix scheme: per-sample shares in the counts, and an exact resume.</summary>
[Collection(GlobalGeneratorCollection.Name)]
public sealed class PuzzleMixTrainingTests : IDisposable
{
    private readonly ImageDataset train = TinyTraining.Images(64, seed: 1, "tiny-train");
    private readonly ImageDataset test = TinyTraining.Images(16, seed: 2, "tiny-test");
    private readonly TempDirectory runs = new();

    public void Dispose()
    {
        train.Dispose();
        test.Dispose();
        runs.Dispose();
    }

    private TrainedRun<SmallConvNet> Train(string folder, TrainingOptions options, ITrainingListener? listener = null, CancellationToken token = default) =>
        NfmTrainer.Train(() => TinyTraining.Network(), TrainingScheme.PuzzleMix(), train, test, options, runs.File(folder), listener ?? TinyTraining.Silent, token);

    [Fact]
    public void ResumedMidEpochEndsBitIdenticalToAnUninterruptedRun()
    {
        var options = TinyTraining.Options(epochs: 2) with { CheckpointEverySteps = 2 };
        var whole = Train("whole", options);
        using var uninterrupted = whole.Network;

        using var cancel = new CancellationTokenSource();
        var interrupter = new TinyTraining.Interrupter(cancel, cancelAt: step => step.Epoch == 2 && step.Step == 2);
        Assert.ThrowsAny<OperationCanceledException>(() => Train("split", options, interrupter, cancel.Token));
        var resumed = NfmTrainer.Resume(() => TinyTraining.Network(), train, test, runs.File("split"), TinyTraining.Silent);
        using var network = resumed.Network;

        TinyTraining.AssertSameWeights(uninterrupted, network);
        Assert.Equal(whole.Metrics.Select(metrics => metrics.TrainLoss), resumed.Metrics.Select(metrics => metrics.TrainLoss));
        Assert.Equal("puzzlemix", new RunFolder(runs.File("split")).ReadManifest().Scheme.Name);
    }

    [Fact]
    public void TheCorrectCountWeightsEachSampleByItsOwnShare()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        using var network = TinyTraining.Network();
        network.train();
        var inputs = randn(4, 1, 8, 8);
        var labels = tensor(new long[] { 0, 1, 2, 1 });
        var step = new PuzzleMixStep(0.5, tensor(new long[] { 1, 2, 3, 0 }), 2, tensor(new[] { 1f, 0.25f, 0f, 0.75f }), inputs);
        using var optimizer = optim.SGD(network.parameters(), 0.1);

        var (loss, correct) = TrainingStep.ForwardBackward(network, new FixedStep(step), optimizer, inputs, labels, TrainingScheme.Erm());

        var predictions = network.call(inputs).argmax(1).data<long>().ToArray();
        var (own, partner, shares) = (labels.data<long>().ToArray(), new long[] { 1, 2, 1, 0 }, new[] { 1, 0.25, 0, 0.75 });
        var expected = Enumerable.Range(0, 4).Sum(i => shares[i] * (predictions[i] == own[i] ? 1 : 0) + (1 - shares[i]) * (predictions[i] == partner[i] ? 1 : 0));
        Assert.Equal(expected, correct, 6);
        Assert.Equal(MixedLoss.CrossEntropy(network.call(inputs), labels, step).item<float>(), loss, 5);
    }

    private sealed class FixedStep(PuzzleMixStep step) : IBatchMixer<PuzzleMixStep>
    {
        public PuzzleMixStep Sample(Tensor inputs, Tensor labels) => step;

        public IFeatureTransform Transform(PuzzleMixStep drawn) => new Unchanged();

        public IReadOnlyList<Tensor> GetState() => [];

        public void SetState(IReadOnlyList<Tensor> state)
        {
        }

        public void Dispose()
        {
        }

        private sealed class Unchanged : IFeatureTransform
        {
            public Tensor Apply(Tensor features) => features.alias();
        }
    }
}
