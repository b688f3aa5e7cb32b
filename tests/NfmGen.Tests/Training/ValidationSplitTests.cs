using NfmGen.Data;
using NfmGen.Data.Images;
using NfmGen.Models;
using NfmGen.Tests.Data.Images;
using NfmGen.Training;

namespace NfmGen.Tests.Training;

/// <summary>The validation hold-out: stratified and seeded, evaluated each epoch, recorded, and rebuilt exactly on resume.</summary>
[Collection(GlobalGeneratorCollection.Name)]
public sealed class ValidationSplitTests : TinyRunsTest
{
    private static long[] Indices(LabeledDataset part) => ((DatasetSubset)part).ParentIndices;

    // Round(fraction x n) of each class's n samples.
    private static long Held(LabeledDataset data, double fraction) =>
        data.Labels.data<long>().ToArray().GroupBy(label => label).Sum(members => (long)Math.Round(fraction * members.Count(), MidpointRounding.AwayFromZero));

    private TrainedRun<SmallConvNet> Train(string name, TrainingOptions options, LabeledDataset? data = null, ITrainingListener? listener = null, CancellationToken token = default) =>
        NfmTrainer.Train(() => TinyTraining.Network(), TrainingScheme.Nfm(), data ?? train, test, options, runs.File(name), listener ?? TinyTraining.Silent, token);

    [Fact]
    public void The_split_holds_out_each_class_in_proportion_disjoint_complete_and_the_same_for_the_same_seed()
    {
        var labels = train.Labels.data<long>().ToArray();
        var (trainPart, validation, _) = ValidationSplit.Draw(train, 0.25, seed: 5);
        using (trainPart)
        using (validation)
        {
            var (kept, held) = (Indices(trainPart), Indices(validation));
            Assert.Equal(Enumerable.Range(0, labels.Length).Select(i => (long)i), kept.Concat(held).Order());
            for (var label = 0L; label < TinyTraining.ClassCount; label++)
            {
                var members = labels.Count(value => value == label);
                Assert.Equal((int)Math.Round(0.25 * members, MidpointRounding.AwayFromZero), held.Count(i => labels[i] == label));
            }
            Assert.Equal(held.Select(i => labels[i]), validation.Labels.data<long>().ToArray()); // each sample keeps its label

            var (sameTrain, same, _) = ValidationSplit.Draw(train, 0.25, seed: 5);
            var (otherTrain, other, _) = ValidationSplit.Draw(train, 0.25, seed: 6);
            using (sameTrain) using (same) using (otherTrain) using (other)
            {
                Assert.Equal(held, Indices(same));
                Assert.NotEqual(held, Indices(other));
            }
        }
    }

    [Fact]
    public void A_run_evaluates_its_validation_split_each_epoch_records_it_and_a_resume_rebuilds_it_exactly()
    {
        var options = TinyTraining.Options(epochs: 2) with { ValidationFraction = 0.25, CheckpointEverySteps = 2 };
        var whole = Train("whole", options);
        using var uninterrupted = whole.Network;
        Assert.All(whole.Metrics, metrics => Assert.InRange(metrics.ValidationAccuracy!.Value, 0, 1));
        var recorded = new RunFolder(whole.Folder).ReadManifest().Validation!;
        Assert.Equal(("tiny-train", 96L, Held(train, 0.25)), (recorded.DrawnFrom, recorded.Samples, recorded.Held));
        Assert.Contains("validationAccuracy", File.ReadAllLines(Path.Combine(whole.Folder, "metrics.csv"))[0]);

        using var cancel = new CancellationTokenSource();
        var interrupter = new TinyTraining.Interrupter(cancel, cancelAt: step => step.Epoch == 2 && step.Step == 2);
        Assert.ThrowsAny<OperationCanceledException>(() => Train("split", options, listener: interrupter, token: cancel.Token));
        var resumed = NfmTrainer.Resume(() => TinyTraining.Network(), train, test, runs.File("split"), TinyTraining.Silent);
        using var network = resumed.Network;

        TinyTraining.AssertSameWeights(uninterrupted, network);
        Assert.Equal(whole.Metrics.Select(metrics => metrics.ValidationAccuracy), resumed.Metrics.Select(metrics => metrics.ValidationAccuracy));
        // The best epoch is tracked across the resume: the same epoch, value and weights.
        var (wholeBest, splitBest) = (Path.Combine(whole.Folder, RunFolder.BestCheckpointFileName), runs.File("split/" + RunFolder.BestCheckpointFileName));
        Assert.Equal(Checkpoint.ReadHeader(wholeBest).Progress.Best, Checkpoint.ReadHeader(splitBest).Progress.Best);
        using (var first = TinyTraining.Network())
        using (var second = TinyTraining.Network())
        {
            Checkpoint.Load(wholeBest, first, null, "SmallConvNet", TinyTraining.ClassCount, null);
            Checkpoint.Load(splitBest, second, null, "SmallConvNet", TinyTraining.ClassCount, null);
            TinyTraining.AssertSameWeights(first, second);
        }

        using var otherData = TinyTraining.Images(90, seed: 1, "tiny-train");
        var error = Assert.Throws<InvalidDataException>(() => NfmTrainer.Resume(() => TinyTraining.Network(), otherData, test, runs.File("whole"), TinyTraining.Silent));
        Assert.Contains($"its validation split was drawn from tiny-train ({Held(train, 0.25)} of 96 samples held out, labels {recorded.Labels}), "
            + $"and this data gives tiny-train ({Held(otherData, 0.25)} of 90 samples held out, labels ", error.Message);
    }

    [Fact]
    public void An_image_folder_splits_too_and_its_images_are_read_through_the_split()
    {
        var root = ImageTreeWriter.Tree(runs.File("data"), ["a", "b", "c"], 4);
        var options = new ImageFolderOptions { ImageSize = 8, Channels = 1, Workers = 2 };
        using var folderTrain = ImageFolderDataset.Open(Path.Combine(root, "train"), options);
        var training = TinyTraining.Options(epochs: 1) with { BatchSize = 4, ValidationFraction = 0.25, Augment = true };

        var run = Train("folder", training, folderTrain);
        run.Network.Dispose();

        var recorded = new RunFolder(run.Folder).ReadManifest().Validation!;
        Assert.Equal((folderTrain.Name, 12L, 3L), (recorded.DrawnFrom, recorded.Samples, recorded.Held));
        Assert.NotNull(run.Metrics.Single().ValidationAccuracy);
    }

    [Fact]
    public void A_best_written_ahead_of_the_checkpoint_that_records_it_gives_way_to_the_recorded_one()
    {
        var folder = new RunFolder(runs.File("best"));
        Directory.CreateDirectory(folder.Path);
        using var network = TinyTraining.Network();
        CheckpointHeader Header(int epoch) =>
            new("SmallConvNet", Checkpoint.ParameterCount(network), TinyTraining.ClassCount, TrainingScheme.Nfm(),
                TrainingProgress.Start with { Epoch = epoch, Best = new BestEpoch(epoch, BestMetrics.Accuracy, 0.5 + epoch / 10.0) });
        int? BestEpoch() => File.Exists(folder.BestCheckpointPath) ? Checkpoint.ReadHeader(folder.BestCheckpointPath).Progress.Best!.Epoch : null;
        folder.SaveBest(Header(2), network);
        folder.SaveBest(Header(3), network); // a crash followed: the checkpoint still records epoch 2 as the best

        folder.KeepRecordedBest(3);
        Assert.Equal(3, BestEpoch());
        folder.KeepRecordedBest(2);
        Assert.Equal(2, BestEpoch());
        folder.KeepRecordedBest(null); // nothing recorded: no best weights
        Assert.Null(BestEpoch());
    }
}
