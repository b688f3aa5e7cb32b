using NfmGen.Data.Images;
using NfmGen.Tests.Data.Images;
using NfmGen.Training;

namespace NfmGen.Tests.Training;

/// <summary>Training on an image folder with bad files skipped, interrupted mid-epoch and resumed.</summary>
[Collection(GlobalGeneratorCollection.Name)]
public sealed class FolderResumeTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void A_resumed_epoch_counts_the_bad_images_skipped_before_the_interruption()
    {
        var root = ImageTreeWriter.Tree(folder.File("data"), ["a", "b", "c"], 6);
        foreach (var name in (string[])["a/img001.png", "b/img003.png", "c/img005.png"])
        {
            var bad = Path.Combine(root, "train", name);
            File.WriteAllBytes(bad, File.ReadAllBytes(bad)[..40]);
        }
        var options = new ImageFolderOptions { ImageSize = 8, Channels = 1, Workers = 2, SkipBadImages = true };
        using var train = ImageFolderDataset.Open(Path.Combine(root, "train"), options);
        using var test = ImageFolderDataset.Open(Path.Combine(root, "val"), options, train.ClassNames);
        var training = TinyTraining.Options(epochs: 1) with { BatchSize = 6, CheckpointEverySteps = 1 };
        var whole = NfmTrainer.Train(() => TinyTraining.Network(), TrainingScheme.Erm(), train, test, training, folder.File("whole"), TinyTraining.Silent);
        whole.Network.Dispose();

        using var cancel = new CancellationTokenSource();
        var interrupter = new TinyTraining.Interrupter(cancel, cancelAt: step => step.Step == 2);
        Assert.ThrowsAny<OperationCanceledException>(() =>
            NfmTrainer.Train(() => TinyTraining.Network(), TrainingScheme.Erm(), train, test, training, folder.File("split"), interrupter, cancel.Token));
        var beforeInterruption = Checkpoint.ReadHeader(Path.Combine(folder.File("split"), "checkpoint.bin")).Progress.SkippedImages;
        var resumed = NfmTrainer.Resume(() => TinyTraining.Network(), train, test, folder.File("split"), TinyTraining.Silent);
        resumed.Network.Dispose();

        Assert.Equal(3, whole.Metrics.Single().SkippedImages);
        Assert.InRange(beforeInterruption, 1, 2); // the resumed process decodes only the last batch: the rest must come from the checkpoint
        Assert.Equal(3, resumed.Metrics.Single().SkippedImages);
    }

    [Fact]
    public void Resuming_on_a_training_folder_that_changed_is_refused_naming_the_folder_and_the_change()
    {
        var root = ImageTreeWriter.Tree(folder.File("data"), ["a", "b", "c"], 2);
        var train = Path.Combine(root, "train");
        var options = new ImageFolderOptions { ImageSize = 8, Channels = 1, Workers = 1 };
        var training = TinyTraining.Options(epochs: 1) with { BatchSize = 6 };
        using (var data = ImageFolderDataset.Open(train, options))
            NfmTrainer.Train(() => TinyTraining.Network(), TrainingScheme.Erm(), data, null, training, folder.File("run"), TinyTraining.Silent).Network.Dispose();

        ImageTreeWriter.Solid(Path.Combine(train, "b", "extra.png"), 8, 8, 1, 2, 3);
        var added = Assert.Throws<InvalidDataException>(() => ResumeOn(train, options));
        Assert.Contains(Path.GetFullPath(train), added.Message);
        Assert.Contains("holds 7 images, the run started on 6 (files were added)", added.Message);

        File.Delete(Path.Combine(train, "b", "extra.png"));
        File.Move(Path.Combine(train, "b", "img000.jpg"), Path.Combine(train, "c", "img009.jpg"));
        Assert.Contains("holds 6 images as when the run started, but not the same files", Assert.Throws<InvalidDataException>(() => ResumeOn(train, options)).Message);

        File.Move(Path.Combine(train, "c", "img009.jpg"), Path.Combine(train, "b", "img000.jpg"));
        Directory.Move(Path.Combine(train, "c"), Path.Combine(train, "d"));
        var renamed = Assert.Throws<InvalidDataException>(() => ResumeOn(train, options));
        Assert.Contains("missing now: c; new: d", renamed.Message);

        Directory.Move(Path.Combine(train, "d"), Path.Combine(train, "c"));
        ResumeOn(train, options); // the folder as it was: resumes (the run is finished, so nothing more to do)
    }

    [Fact]
    public void A_run_written_before_the_file_count_and_hash_were_kept_checks_only_the_class_names()
    {
        var root = ImageTreeWriter.Tree(folder.File("data"), ["a", "b"], 2);
        var index = ImageFolderIndex.Scan(Path.Combine(root, "train"));
        var old = new ImageSettings(["a", "b"], 8, 1, [0.5f], [0.25f]);

        Assert.Null(old.TrainingFolderMismatch(index));
        Assert.Contains("missing now: x", (old with { ClassNames = ["a", "x"] }).TrainingFolderMismatch(index));
        Assert.Null((old with { TrainFileCount = 4, TrainPathsHash = index.PathsHash }).TrainingFolderMismatch(index));
    }

    private void ResumeOn(string train, ImageFolderOptions options)
    {
        using var data = ImageFolderDataset.Open(train, options);
        NfmTrainer.Resume(() => TinyTraining.Network(), data, null, folder.File("run"), TinyTraining.Silent).Network.Dispose();
    }
}
