using NfmGen.Data.Images;
using NfmGen.Mixing;
using NfmGen.Reports;
using NfmGen.Tests.Data.Images;
using NfmGen.Training;

namespace NfmGen.Tests.Cli;

/// <summary><c>nfm train --dataset folder</c> then <c>nfm eval</c> on a tiny generated tree of JPEG and PNG files.</summary>
public sealed class ImageFolderCommandTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void TrainsAndEvaluatesOnAnImageFolderAndKeepsWhatPredictionNeeds()
    {
        var data = ImageTreeWriter.Tree(folder.File("data"), ["cat", "dog", "emu"], 4);
        var bad = Path.Combine(data, "train", "dog", "img002.jpg");
        File.WriteAllText(bad, "broken");

        var train = NfmProcess.Run(folder.Path, "train", "--model", "small-convnet", "--width", "2", "--dataset", "folder", "--data", data,
            "--image-size", "16", "--skip-bad-images", "--workers", "2", "--epochs", "1", "--batch-size", "4", "--lr", "0.01", "--schedule", "constant",
            "--device", "cpu", "--run", "run");
        Assert.True(train.ExitCode == 0, train.ToString());
        Assert.Contains("skipped 1 bad images", train.Output);

        var manifest = new RunFolder(folder.File("run")).ReadManifest();
        Assert.Equal(new ImageSettings(["cat", "dog", "emu"], 16, 3, [0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]), manifest.Images,
            new ImageSettingsComparer());
        Assert.Equal(1, new RunFolder(folder.File("run")).ReadMetrics().Single().SkippedImages);

        var eval = NfmProcess.Run(folder.Path, "eval", "--run", "run", "--device", "cpu", "--perturb", "white:0.1");
        Assert.True(eval.ExitCode == 0, eval.ToString());
        var row = ReportJson.Load(folder.File("run/report.json")).Rows.Single();
        Assert.InRange(row.CleanAccuracy, 0, 1);
        Assert.Single(row.Results);
    }

    [Fact]
    public void EvalMapsValOntoTheRunsClassesWithoutReadingTrainAndRefusesAValClassThatIsNotOne()
    {
        var data = ImageTreeWriter.Tree(folder.File("data"), ["cat", "dog"], 2);
        var train = NfmProcess.Run(folder.Path, "train", "--model", "small-convnet", "--width", "2", "--dataset", "folder", "--data", data,
            "--image-size", "16", "--workers", "1", "--epochs", "1", "--batch-size", "4", "--device", "cpu", "--run", "run");
        Assert.True(train.ExitCode == 0, train.ToString());

        // A renamed train class folder changes nothing for evaluation: val is read with the names the run stored.
        Directory.Move(Path.Combine(data, "train", "dog"), Path.Combine(data, "train", "wolf"));
        var eval = NfmProcess.Run(folder.Path, "eval", "--run", "run", "--device", "cpu", "--perturb", "white:0.1");
        Assert.True(eval.ExitCode == 0, eval.ToString());

        // Another folder with as many classes but other names: refused, naming the val class folder.
        var other = ImageTreeWriter.Tree(folder.File("other"), ["cat", "emu"], 1);
        var refused = NfmProcess.Run(folder.Path, "eval", "--run", "run", "--device", "cpu", "--dataset", "folder", "--data", other, "--perturb", "white:0.1");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains(Path.Combine(other, "val", "emu"), refused.Output + refused.Error);
        Assert.Contains("not one of the 2 training classes", refused.Output + refused.Error);
    }

    [Fact]
    public void ImageNetTakesThePapersTable3RecipeWhereAnOptionIsNotGiven()
    {
        var data = ImageTreeWriter.Tree(folder.File("data"), ["cat", "dog"], 3);
        var train = NfmProcess.Run(folder.Path, "train", "--model", "small-convnet", "--width", "2", "--dataset", "imagenet", "--data", data,
            "--image-size", "16", "--scheme", "nfm", "--epochs", "1", "--steps-per-epoch", "1", "--device", "cpu", "--run", "run");
        Assert.True(train.ExitCode == 0, train.ToString());

        var manifest = new RunFolder(folder.File("run")).ReadManifest();
        Assert.Equal((256, 1e-4), (manifest.Options.BatchSize, manifest.Options.WeightDecay));
        var nfm = Assert.IsType<NfmMethod>(manifest.Scheme.Method).Options;
        Assert.Equal(("nfm", 0.1, 0.1), (manifest.Scheme.Name, nfm.AdditiveNoise, nfm.MultiplicativeNoise));

        var given = NfmProcess.Run(folder.Path, "train", "--model", "small-convnet", "--width", "2", "--dataset", "imagenet", "--data", data,
            "--image-size", "16", "--scheme", "nfm", "--add-noise", "0.4", "--batch-size", "4", "--weight-decay", "5e-4", "--epochs", "1",
            "--steps-per-epoch", "1", "--device", "cpu", "--run", "given");
        Assert.True(given.ExitCode == 0, given.ToString());
        var givenManifest = new RunFolder(folder.File("given")).ReadManifest();
        Assert.Equal((4, 5e-4, "nfm (add 0.4)"), (givenManifest.Options.BatchSize, givenManifest.Options.WeightDecay, givenManifest.Scheme.Name));
    }

    [Fact]
    public void ImageOptionsAreRefusedForOtherDatasetsAndAMissingValFolderIsNamed()
    {
        var other = NfmProcess.Run(folder.Path, "train", "--model", "toy-mlp", "--dataset", "moons", "--image-size", "32", "--run", "run");
        Assert.NotEqual(0, other.ExitCode);
        Assert.Contains("--image-size: only for --dataset folder or imagenet", other.Output + other.Error);

        var data = folder.File("data");
        ImageTreeWriter.Solid(Path.Combine(data, "train", "a", "1.png"), 8, 8, 1, 2, 3);
        var missing = NfmProcess.Run(folder.Path, "train", "--model", "small-convnet", "--dataset", "folder", "--data", data, "--run", "run2");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("has no 'val' folder", missing.Output + missing.Error);
    }

    private sealed class ImageSettingsComparer : IEqualityComparer<ImageSettings?>
    {
        public bool Equals(ImageSettings? x, ImageSettings? y) =>
            x is not null && y is not null && x.ClassNames.SequenceEqual(y.ClassNames) && x.ImageSize == y.ImageSize && x.Channels == y.Channels
            && x.Mean.SequenceEqual(y.Mean) && x.Std.SequenceEqual(y.Std);

        public int GetHashCode(ImageSettings? settings) => 0;
    }
}
