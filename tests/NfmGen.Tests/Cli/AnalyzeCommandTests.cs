using System.Text.Json;

namespace NfmGen.Tests.Cli;

/// <summary><c>nfm analyze</c> on a trained run: every mix point's measures, in each format, to a file; bad options named.</summary>
public sealed class AnalyzeCommandTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Analyze_measures_every_mix_point_of_a_trained_run_and_writes_its_format()
    {
        var trained = NfmProcess.Run(folder.Path, "train", "--model", "toy-mlp", "--dataset", "moons", "--epochs", "1", "--device", "cpu", "--scheme", "nfm", "--run", "run");
        Assert.True(trained.ExitCode == 0, trained.ToString());

        var text = NfmProcess.Run(folder.Path, "analyze", "--run", "run", "--samples", "40", "--probes", "2", "--device", "cpu");
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains("ToyMlp on two-moons: 40 points, J exact", text.Output);
        Assert.Contains("logits / T, T = ", text.Output);
        Assert.Matches(@"(?m)^2\s+hidden2\s", text.Output);

        var json = NfmProcess.Run(folder.Path, "analyze", "--run", "run", "--samples", "40", "--probes", "2", "--mix-points", "1", "--format", "json",
            "--out", "analysis/smooth.json", "--device", "cpu");
        Assert.True(json.ExitCode == 0, json.ToString());
        using var document = JsonDocument.Parse(File.ReadAllText(folder.File("analysis/smooth.json")));
        var point = Assert.Single(document.RootElement.GetProperty("mixPoints").EnumerateArray());
        Assert.Equal(1, point.GetProperty("mixPoint").GetInt32());
        Assert.True(point.GetProperty("measures").GetProperty("jacobianNorm").GetProperty("mean").GetDouble() > 0);

        var bad = NfmProcess.Run(folder.Path, "analyze", "--run", "run", "--probes", "0", "--device", "cpu");
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("Probes must be >= 1 (was 0)", bad.Error);
    }
}
