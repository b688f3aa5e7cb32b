using NfmGen.Data;
using NfmGen.Mixing;
using NfmGen.Mixing.PuzzleMix;
using NfmGen.Tests.Data;
using NfmGen.Training;

namespace NfmGen.Tests.Cli;

/// <summary><c>nfm train --scheme puzzlemix</c> on real Fashion-MNIST and on CIFAR-format files; point data refused.</summary>
public sealed class TrainPuzzleMixTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    [SkippableFact]
    public void TrainsOnFashionMnist()
    {
        Skip.IfNot(FashionMnist.IsAvailable(),
            $"Fashion-MNIST is not installed at {FashionMnist.DefaultFolder}: run 'apt-get install -y dataset-fashion-mnist' (.ci/run does).");

        var result = NfmProcess.Run(folder.Path, "train", "--model", "small-convnet", "--width", "1", "--dataset", "fashion-mnist",
            "--epochs", "1", "--batch-size", "16", "--steps-per-epoch", "2", "--device", "cpu", "--scheme", "puzzlemix", "--run", "run");

        Assert.True(result.ExitCode == 0, result.ToString());
        var run = new RunFolder(folder.File("run"));
        Assert.Equal(TrainingScheme.PuzzleMix(), run.ReadManifest().Scheme);
        Assert.Single(run.ReadMetrics());
    }

    [Fact]
    public void TrainsOnCifarFilesWithItsOwnAlphaAndRefusesNoiseOptions()
    {
        var data = DataFileWriter.WriteCifar10Folder(folder.File("cifar"), perBatch: 8, testCount: 8);
        string[] train = ["train", "--model", "small-convnet", "--width", "1", "--dataset", "cifar10", "--data", data,
            "--epochs", "1", "--batch-size", "8", "--steps-per-epoch", "2", "--device", "cpu", "--scheme", "puzzlemix"];

        var result = NfmProcess.Run(folder.Path, [.. train, "--alpha", "0.5", "--run", "run"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var scheme = new RunFolder(folder.File("run")).ReadManifest().Scheme;
        Assert.Equal(TrainingScheme.PuzzleMix(alpha: 0.5) with { Name = "puzzlemix (alpha 0.5)" }, scheme);
        var noisy = NfmProcess.Run(folder.Path, [.. train, "--add-noise", "0.1", "--run", "noisy"]);
        Assert.NotEqual(0, noisy.ExitCode);
        Assert.Contains("--add-noise does not apply to puzzlemix", noisy.Error);
    }

    [Fact]
    public void TheAdversarialOptionIsTrainedAndNamedAndRefusedWhereItDoesNotApply()
    {
        var data = DataFileWriter.WriteCifar10Folder(folder.File("cifar"), perBatch: 8, testCount: 8);
        string[] train = ["train", "--model", "small-convnet", "--width", "1", "--dataset", "cifar10", "--data", data,
            "--epochs", "1", "--batch-size", "8", "--steps-per-epoch", "1", "--device", "cpu"];

        var result = NfmProcess.Run(folder.Path, [.. train, "--scheme", "puzzlemix", "--adv-p", "0.1", "--adv-eps", "10", "--run", "run"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var expected = new TrainingScheme(
            "puzzlemix (adv 0.1, eps 10)", new PuzzleMixMethod(new PuzzleMixOptions(AdversarialProbability: 0.1, AdversarialEpsilon: 10)));
        Assert.Equal(expected, new RunFolder(folder.File("run")).ReadManifest().Scheme);

        var (outOfRange, otherScheme, epsilonAlone) = (
            NfmProcess.Run(folder.Path, [.. train, "--scheme", "puzzlemix", "--adv-p", "1.5", "--run", "range"]),
            NfmProcess.Run(folder.Path, [.. train, "--scheme", "cutmix", "--adv-p", "0.1", "--run", "cutmix"]),
            NfmProcess.Run(folder.Path, [.. train, "--scheme", "puzzlemix", "--adv-eps", "8", "--run", "eps"]));
        Assert.Contains("Puzzle Mix's AdversarialProbability must be in [0, 1] (was 1.5)", outOfRange.Error);
        Assert.Contains("--adv-p applies only to --scheme puzzlemix (its adversarial step); cutmix has none", otherScheme.Error);
        Assert.Contains("--adv-eps 8 sizes Puzzle Mix's adversarial step, which is off: add --adv-p", epsilonAlone.Error);
        Assert.All([outOfRange, otherScheme, epsilonAlone], refused => Assert.NotEqual(0, refused.ExitCode));
    }

    [Fact]
    public void RefusesPointDataNamingTheSchemeAndTheData()
    {
        var result = NfmProcess.Run(folder.Path, "train", "--model", "toy-mlp", "--dataset", "moons", "--epochs", "1",
            "--device", "cpu", "--scheme", "puzzlemix", "--run", "run");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Puzzle Mix (the puzzlemix scheme) mixes images in pixel space, but two-moons is not image data", result.Error);
        Assert.False(File.Exists(folder.File("run/run.json")), "a run that cannot start leaves its folder free");
    }
}
