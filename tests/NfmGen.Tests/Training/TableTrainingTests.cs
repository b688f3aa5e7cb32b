using NfmGen.Data.Tables;
using NfmGen.Models;
using NfmGen.Training;

namespace NfmGen.Tests.Training;

/// <summary>Training on CSV rows: an exact resume of the tabular ResNet under NFM, the table kept in run.json, image-only schemes refused.</summary>
[Collection(GlobalGeneratorCollection.Name)]
public sealed class TableTrainingTests : IDisposable
{
    private readonly TempDirectory runs = new();
    private readonly CsvDataset train;
    private readonly CsvDataset test;

    public TableTrainingTests()
    {
        // 300 rows of UCI Letter Recognition (26 classes, 16 features); every class keeps rows on both sides.
        var slice = runs.File("letter.csv");
        File.WriteAllLines(slice, File.ReadLines(Path.Combine(RepositoryPaths.Root, "benchmarks", "data", "letter-recognition.csv")).Take(301));
        (train, test) = CsvDataset.Open(slice, new CsvOptions("lettr") { TestFraction = 0.3 });
    }

    public void Dispose()
    {
        train.Dispose();
        test.Dispose();
        runs.Dispose();
    }

    private static TabularResNet Network() => new(16, width: 8, numClasses: 26);

    private TrainedRun<TabularResNet> Train(TrainingScheme scheme, string folder, TrainingOptions options, ITrainingListener? listener = null, CancellationToken token = default) =>
        NfmTrainer.Train(Network, scheme, train, test, options, runs.File(folder), listener ?? TinyTraining.Silent, token);

    [Fact]
    public void A_run_on_table_rows_resumed_mid_epoch_ends_bit_identical_and_keeps_its_table()
    {
        var options = TinyTraining.Options(epochs: 2) with { CheckpointEverySteps = 1 };
        var whole = Train(TrainingScheme.Nfm(), "whole", options);
        using var uninterrupted = whole.Network;

        using var cancel = new CancellationTokenSource();
        var interrupter = new TinyTraining.Interrupter(cancel, cancelAt: step => step.Epoch == 2 && step.Step == 3);
        Assert.ThrowsAny<OperationCanceledException>(() => Train(TrainingScheme.Nfm(), "split", options, interrupter, cancel.Token));
        var (again, againTest) = CsvDataset.Reopen(new RunFolder(runs.File("split")).ReadManifest().Table!);
        using (again)
        using (againTest)
        {
            var resumed = NfmTrainer.Resume(Network, again, againTest, runs.File("split"), TinyTraining.Silent);
            using var network = resumed.Network;

            TinyTraining.AssertSameWeights(uninterrupted, network);
            Assert.Equal(whole.Metrics.Select(metrics => metrics.TrainLoss), resumed.Metrics.Select(metrics => metrics.TrainLoss));
        }
        Assert.True(new RunFolder(runs.File("split")).ReadManifest().Table!.SameAs(train.Schema));
    }

    [Fact]
    public void Resuming_on_rows_read_otherwise_is_refused()
    {
        Train(TrainingScheme.Erm(), "run", TinyTraining.Options(epochs: 1)).Network.Dispose();
        var (other, otherTest) = CsvDataset.Open(runs.File("letter.csv"), new CsvOptions("lettr") { TestFraction = 0.3, SplitSeed = 9 });
        using (other)
        using (otherTest)
        {
            var error = Assert.Throws<InvalidDataException>(() => NfmTrainer.Resume(Network, other, otherTest, runs.File("run"), TinyTraining.Silent));
            Assert.Contains("was read otherwise", error.Message);
        }
    }

    [Theory]
    [InlineData("cutmix", "CutMix (the cutmix scheme) cuts and pastes rectangles of images, but letter.csv is not image data")]
    [InlineData("puzzlemix", "Puzzle Mix (the puzzlemix scheme) mixes images in pixel space, but letter.csv is not image data")]
    [InlineData("augmix", "letter.csv: AugMix augments 8-bit images of 1 or 3 channels; its samples of [16] are not")]
    public void Schemes_for_images_are_refused_on_table_rows_naming_why(string scheme, string why)
    {
        var error = Assert.Throws<ArgumentException>(() => Train(TrainingScheme.Parse(scheme), scheme, TinyTraining.Options(epochs: 1)));

        Assert.Contains(why, error.Message);
        Assert.False(File.Exists(Path.Combine(runs.File(scheme), RunFolder.ManifestFileName)), "a run that cannot start leaves its folder free");
    }
}
