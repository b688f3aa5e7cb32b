using NfmGen.Tests.Training;
using NfmGen.Training;

namespace NfmGen.Tests.Cli;

/// <summary><c>nfm train --scheme</c>: the presets come from <see cref="SchemeCatalog"/>, and each method takes its own options.</summary>
public sealed class TrainSchemeOptionsTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void HelpListsEveryPresetWithWhatItDoes()
    {
        var result = NfmProcess.Run(folder.Path, "train", "--help");

        Assert.True(result.ExitCode == 0, result.ToString());
        var help = string.Join(" ", result.Output.Split('\n', StringSplitOptions.TrimEntries));
        Assert.All(SchemeCatalog.All, preset => Assert.Contains($"{preset.Name} ({preset.Summary})", help));
    }

    [Fact]
    public void CutMixTakesItsAlphaAndSaysSoInItsName()
    {
        var data = OldRunTests.WriteTinyMnist(folder.File("mnist"));

        var result = NfmProcess.Run(folder.Path, "train", "--model", "small-convnet", "--width", "1", "--dataset", "mnist", "--data", data,
            "--epochs", "1", "--batch-size", "8", "--steps-per-epoch", "1", "--device", "cpu", "--scheme", "cutmix", "--alpha", "0.5");

        Assert.True(result.ExitCode == 0, result.ToString());
        var run = folder.File("runs/small-convnet-w1-mnist-cutmix-alpha-0.5-s0");
        Assert.Equal(TrainingScheme.CutMix(0.5) with { Name = "cutmix (alpha 0.5)" }, new RunFolder(run).ReadManifest().Scheme);
    }
}
