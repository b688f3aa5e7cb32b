using NfmGen.Data;
using NfmGen.Data.Augmentation;
using NfmGen.Data.Images;
using NfmGen.Models;
using NfmGen.Tests.Data.Images;
using NfmGen.Training;
using static TorchSharp.torch;

namespace NfmGen.Tests.Training;

/// <summary>The augmix and noisymix schemes through the trainer: three views per image, the JSD loss, an exact resume.</summary>
[Collection(GlobalGeneratorCollection.Name)]
public sealed class AugMixTrainingTests : IDisposable
{
    private readonly ImageDataset train = TinyTraining.Images(48, seed: 1, "tiny-train");
    private readonly ImageDataset test = TinyTraining.Images(16, seed: 2, "tiny-test");
    private readonly TempDirectory runs = new();

    public void Dispose()
    {
        train.Dispose();
        test.Dispose();
        runs.Dispose();
    }

    private TrainedRun<SmallConvNet> Train(TrainingScheme scheme, string folder, TrainingOptions options, ITrainingListener? listener = null, CancellationToken token = default) =>
        NfmTrainer.Train(() => TinyTraining.Network(), scheme, train, test, options, runs.File(folder), listener ?? TinyTraining.Silent, token);

    [Theory]
    [InlineData("augmix")]
    [InlineData("noisymix")]
    public void A_run_resumed_mid_epoch_ends_bit_identical_to_an_uninterrupted_one(string name)
    {
        var scheme = TrainingScheme.Parse(name);
        var options = TinyTraining.Options(epochs: 2) with { CheckpointEverySteps = 1, Nesterov = name == "noisymix" };
        var whole = Train(scheme, "whole", options);
        using var uninterrupted = whole.Network;

        using var cancel = new CancellationTokenSource();
        var interrupter = new TinyTraining.Interrupter(cancel, cancelAt: step => step.Epoch == 2 && step.Step == 1);
        Assert.ThrowsAny<OperationCanceledException>(() => Train(scheme, "split", options, interrupter, cancel.Token));
        var resumed = NfmTrainer.Resume(() => TinyTraining.Network(), train, test, runs.File("split"), TinyTraining.Silent);
        using var network = resumed.Network;

        TinyTraining.AssertSameWeights(uninterrupted, network);
        Assert.Equal(whole.Metrics.Select(metrics => metrics.TrainLoss), resumed.Metrics.Select(metrics => metrics.TrainLoss));
        var manifest = new RunFolder(runs.File("split")).ReadManifest();
        Assert.Equal(scheme, manifest.Scheme); // AugMix's settings survive run.json
        Assert.Equal(name == "noisymix", manifest.Options.Nesterov);
    }

    [Fact]
    public void The_jsd_term_changes_what_is_learned_and_the_loss_counts_it()
    {
        var options = TinyTraining.Options(epochs: 1);
        var withJsd = Train(TrainingScheme.AugMixed(), "jsd", options);
        var without = Train(TrainingScheme.AugMixed(new AugMixOptions { JsdWeight = 0 }), "nojsd", options);
        using var first = withJsd.Network;
        using var second = without.Network;
        Assert.True(withJsd.Metrics.Single().TrainLoss > without.Metrics.Single().TrainLoss);
        Assert.False(first.state_dict().All(pair => pair.Value.equal(second.state_dict()[pair.Key]).all().item<bool>()));
    }

    [Fact]
    public void The_loader_delivers_three_views_per_image_with_the_clean_view_first()
    {
        using var loader = new BatchLoader(train, 8, shuffle: true, augment: false, seed: 4, augMix: new AugMixOptions());
        using var plain = new BatchLoader(train, 8, shuffle: true, augment: false, seed: 4);
        Assert.Equal(0, loader.Prefetch); // on the CPU the views are made when the step asks: a worker would slow the step more
        foreach (var (views, batch) in loader.Epoch(0).Take(1).Zip(plain.Epoch(0).Take(1)))
        {
            Assert.Equal([24L, 1, 8, 8], views.Inputs.shape);
            Assert.Equal(batch.Labels.data<long>().ToArray(), views.Labels.data<long>().ToArray());
            Assert.True(views.Inputs.narrow(0, 0, 8).equal(batch.Inputs).all().item<bool>());
            Assert.False(views.Inputs.narrow(0, 8, 8).equal(batch.Inputs).all().item<bool>());
        }
    }

    [Fact]
    public void Augmix_trains_on_an_image_folder_and_refuses_point_data_and_other_mixing_methods()
    {
        var root = ImageTreeWriter.Tree(runs.File("data"), ["a", "b", "c"], 4);
        var folderOptions = new ImageFolderOptions { ImageSize = 8, Channels = 1, Workers = 2 };
        using var images = ImageFolderDataset.Open(Path.Combine(root, "train"), folderOptions);
        var run = NfmTrainer.Train(() => TinyTraining.Network(), TrainingScheme.NoisyMix(), images, null, TinyTraining.Options(epochs: 1) with { BatchSize = 6 },
            runs.File("folder"), TinyTraining.Silent);
        run.Network.Dispose();
        Assert.True(double.IsFinite(run.Metrics.Single().TrainLoss));

        using var points = new FeatureDataset("points", randn(8, 3), tensor(new long[] { 0, 1, 2, 0, 1, 2, 0, 1 }), 3);
        var pointError = Assert.Throws<ArgumentException>(() => new BatchLoader(points, 4, augMix: new AugMixOptions()));
        Assert.Contains("AugMix augments 8-bit images", pointError.Message);

        // A subset of a reader's images makes the views; images defined outside NfmGen's readers do not, and are refused
        // rather than fed one view.
        using var subset = new DatasetSubset("subset", train, arange(8L));
        using (var subsetLoader = new BatchLoader(subset, 4, augMix: new AugMixOptions()))
            Assert.NotNull(subsetLoader.AugMix);
        using var ownImages = new OwnImages();
        var ownError = Assert.Throws<ArgumentException>(() => new BatchLoader(ownImages, 4, augMix: new AugMixOptions()));
        Assert.Contains("own-images: AugMix's views are made by the image datasets NfmGen reads", ownError.Message);
        var loss = Assert.Throws<ArgumentException>(() =>
            NfmGen.Mixing.MixedLoss.Of(randn(4, 3), tensor(new long[] { 0, 1, 2, 0 }), new NfmGen.Mixing.NfmStep(0, 1, arange(4L), 0, 0), TrainingScheme.AugMixed()));
        Assert.Contains("logits must have 3 x 4 rows for 4 labels (were [4, 3])", loss.Message);

        var cutMix = TrainingScheme.CutMix() with { AugMix = new AugMixOptions() };
        var methodError = Assert.Throws<ArgumentException>(() => cutMix.Validate());
        Assert.Contains("only the NFM family mixes", methodError.Message);
    }

    // Images a user's own dataset gathers, one view each: it knows nothing of AugMix.
    private sealed class OwnImages() : LabeledDataset("own-images", zeros(8, ScalarType.Int64), 3)
    {
        public override long[] InputShape => [1, 8, 8];

        public override Normalization Normalization => Normalization.FashionMnist;

        protected internal override Tensor Gather(Tensor indices, GatherRequest request) => zeros(indices.shape[0], 1, 8, 8);
    }
}
