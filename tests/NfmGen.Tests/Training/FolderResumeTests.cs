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
}
