using NfmGen.Data;
using NfmGen.Models;
using NfmGen.Reports;
using NfmGen.Robustness;
using NfmGen.Tests.Training;
using NfmGen.Training;
using static TorchSharp.torch;

namespace NfmGen.Tests.Data;

/// <summary>
/// A kind of data the library has never seen, written against the public contract alone: it trains, resumes and is
/// evaluated (clean, and under the perturbation that suits it) with no change anywhere else.
/// </summary>
[Collection(GlobalGeneratorCollection.Name)] // the network's initialisation is drawn from torch's process-wide generator
public sealed class CustomDatasetTests : IDisposable
{
    private readonly TempDirectory runs = new();

    public void Dispose() => runs.Dispose();

    /// <summary>Rows of four numbers; the class is which of two blobs a row was drawn from.</summary>
    private sealed class Rows : LabeledDataset
    {
        private readonly Tensor values;

        public Rows(string name, int count, long seed)
            : base(name, DrawLabels(count, seed), classCount: 2)
        {
            using var generator = new TorchSharp.torch.Generator((ulong)seed + 1);
            var centres = Labels.to_type(ScalarType.Float32).mul(4).sub(2).unsqueeze(1);
            values = randn([count, 4], generator: generator).add(centres).DetachFromDisposeScope();
        }

        public override long[] InputShape => [4];

        public int Gathered { get; private set; }

        protected internal override Tensor Gather(Tensor indices, GatherRequest request)
        {
            Gathered++;
            return values.index_select(0, indices).to(request.Device);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                values.Dispose();
            base.Dispose(disposing);
        }

        private static Tensor DrawLabels(int count, long seed)
        {
            using var generator = new TorchSharp.torch.Generator((ulong)seed);
            return randint(0, 2, [count], generator: generator, dtype: ScalarType.Int64);
        }
    }

    private static TrainingOptions Options => new()
    {
        Epochs = 3,
        BatchSize = 32,
        LearningRate = 0.05,
        Seed = 5,
        Device = "cpu",
    };

    [Fact]
    public void A_dataset_defined_here_trains_resumes_bit_identically_and_is_evaluated_with_the_perturbations_that_suit_it()
    {
        using var train = new Rows("rows-train", 256, seed: 1);
        using var test = new Rows("rows-test", 128, seed: 2);
        using var whole = NfmTrainer.Train(() => new ToyMlp(inputs: 4), TrainingScheme.Nfm(), train, test, Options, runs.File("whole"), TinyTraining.Silent).Network;

        using var cancel = new CancellationTokenSource();
        var interrupter = new TinyTraining.Interrupter(cancel, cancelAfter: metrics => metrics.Epoch == 1);
        Assert.ThrowsAny<OperationCanceledException>(
            () => NfmTrainer.Train(() => new ToyMlp(inputs: 4), TrainingScheme.Nfm(), train, test, Options, runs.File("split"), interrupter, cancel.Token));
        var resumed = NfmTrainer.Resume(() => new ToyMlp(inputs: 4), train, test, runs.File("split"), TinyTraining.Silent);
        using var network = resumed.Network;
        TinyTraining.AssertSameWeights(whole, network);
        Assert.True(train.Gathered > 0);

        var specs = RobustnessEvaluator.DefaultPerturbations(test);
        Assert.Equal([PerturbationKind.WhiteNoise], specs.Select(spec => spec.Kind).Distinct());
        var row = RobustnessEvaluator.Evaluate("nfm", network, test, specs, CPU, seed: 3);
        Assert.InRange(row.CleanAccuracy, 0.9, 1.0); // two blobs four standard deviations apart
        Assert.Equal([0.1, 0.2, 0.3, 0.4], row.Results.Select(result => result.Level));
        Assert.Equal(resumed.Metrics[^1].TestAccuracy, row.CleanAccuracy);

        var pixelsOnly = PerturbationSpecParser.ParseAll(["sp:0.1"]);
        var refused = Assert.Throws<ArgumentException>(() => RobustnessEvaluator.Evaluate("nfm", network, test, pixelsOnly, CPU, seed: 3));
        Assert.Contains("rows-test holds inputs that are not pixels: only white noise", refused.Message);
        Assert.Contains("augment: false", Assert.Throws<ArgumentException>(() => new BatchLoader(train, 8, augment: true)).Message);
    }
}
