using NfmGen.Data;
using NfmGen.Data.Augmentation;
using NfmGen.Mixing;
using NfmGen.Tests.Data;
using NfmGen.Training;

namespace NfmGen.Tests.Cli;

/// <summary><c>nfm train --scheme augmix|noisymix</c>: on Fashion-MNIST and CIFAR-format files, its options named in the scheme, refusals.</summary>
public sealed class TrainAugMixTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    [SkippableFact]
    public void Noisymix_trains_on_fashion_mnist_with_nesterov_and_evaluates()
    {
        Skip.IfNot(FashionMnist.IsAvailable(),
            $"Fashion-MNIST is not installed at {FashionMnist.DefaultFolder}: run 'apt-get install -y dataset-fashion-mnist' (.ci/run does).");

        var result = NfmProcess.Run(folder.Path, "train", "--model", "small-convnet", "--width", "1", "--dataset", "fashion-mnist",
            "--epochs", "1", "--batch-size", "16", "--steps-per-epoch", "2", "--device", "cpu", "--scheme", "noisymix", "--nesterov",
            "--schedule", "cosine", "--run", "run");

        Assert.True(result.ExitCode == 0, result.ToString());
        var manifest = new RunFolder(folder.File("run")).ReadManifest();
        Assert.Equal(TrainingScheme.NoisyMix(), manifest.Scheme);
        Assert.True(manifest.Options.Nesterov);
        var evaluation = NfmProcess.Run(folder.Path, "eval", "--run", "run", "--perturb", "white:0.1", "--test-samples", "64", "--device", "cpu");
        Assert.True(evaluation.ExitCode == 0, evaluation.ToString());
        Assert.Contains("noisymix", File.ReadAllText(folder.File("run/report.md")));
    }

    [Fact]
    public void Augmix_options_change_the_scheme_and_name_it_and_are_refused_where_they_do_not_apply()
    {
        var data = DataFileWriter.WriteCifar10Folder(folder.File("cifar"), perBatch: 8, testCount: 8);
        string[] train = ["train", "--model", "small-convnet", "--width", "1", "--dataset", "cifar10", "--data", data,
            "--epochs", "1", "--batch-size", "8", "--steps-per-epoch", "1", "--device", "cpu"];

        var result = NfmProcess.Run(folder.Path, [.. train, "--scheme", "augmix", "--augmix-severity", "5", "--augmix-width", "2",
            "--augmix-depth", "1", "--augmix-all-ops", "--jsd-weight", "6", "--run", "run"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var expected = TrainingScheme.AugMixed(new AugMixOptions { Severity = 5, Width = 2, Depth = 1, AllOperations = true, JsdWeight = 6 })
            with { Name = "augmix (severity 5, width 2, depth 1, all ops, jsd 6)" };
        Assert.Equal(expected, new RunFolder(folder.File("run")).ReadManifest().Scheme);

        var sparse = NfmProcess.Run(folder.Path, [.. train, "--scheme", "noisymix", "--noise-sparsity", "0.3", "--run", "sparse"]);
        Assert.True(sparse.ExitCode == 0, sparse.ToString());
        Assert.Equal(TrainingScheme.NoisyMix() with { Name = "noisymix (sparsity 0.3)", Method = new NfmMethod(NfmPresets.NoisyMix with { Sparsity = 0.3 }) },
            new RunFolder(folder.File("sparse")).ReadManifest().Scheme);

        var noNoise = NfmProcess.Run(folder.Path, [.. train, "--scheme", "augmix", "--noise-sparsity", "0.5", "--run", "nonoise"]);
        Assert.NotEqual(0, noNoise.ExitCode);
        Assert.Contains("Sparsity 0.5 drops noise entries, but there is no noise", noNoise.Error);

        var (otherScheme, severity, sparsity) = (
            NfmProcess.Run(folder.Path, [.. train, "--scheme", "nfm", "--jsd-weight", "3", "--run", "nfm"]),
            NfmProcess.Run(folder.Path, [.. train, "--scheme", "augmix", "--augmix-severity", "11", "--run", "severity"]),
            NfmProcess.Run(folder.Path, [.. train, "--scheme", "nfm", "--noise-sparsity", "1", "--run", "sparsity"]));
        Assert.Contains("--jsd-weight applies only to the schemes with AugMix's views (augmix, noisymix); nfm has none", otherScheme.Error);
        Assert.Contains("--augmix-severity: AugMix's Severity must be in 1..10 (was 11)", severity.Error);
        Assert.Contains("Sparsity must be in [0, 1) (was 1)", sparsity.Error);
        Assert.All([otherScheme, severity, sparsity], refused => Assert.NotEqual(0, refused.ExitCode));
    }
}
