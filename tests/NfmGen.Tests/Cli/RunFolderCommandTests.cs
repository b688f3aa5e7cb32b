using System.Text.Json.Nodes;
using NfmGen.Training;

namespace NfmGen.Tests.Cli;

/// <summary><c>nfm train</c> and the run folder: concurrent starts, default folder names, scheme names, damaged files.</summary>
public sealed class RunFolderCommandTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    private static string[] Toy(params string[] more) =>
        ["train", "--model", "toy-mlp", "--dataset", "moons", "--epochs", "2", "--steps-per-epoch", "3", "--device", "cpu", .. more];

    [Fact]
    public void OfTwoProcessesStartedIntoOneFolderAtOnceExactlyOneTrainsAndItsFolderStaysIntact()
    {
        for (var round = 0; round < 3; round++)
        {
            var run = $"run{round}";
            // Different widths, so that each process's nfm.json and run.json tell whose they are.
            using var narrow = NfmProcess.Start(folder.Path, Toy("--width", "8", "--scheme", "erm", "--run", run));
            using var wide = NfmProcess.Start(folder.Path, Toy("--width", "16", "--scheme", "erm", "--run", run));
            var results = new[] { (Width: 8, Result: Finish(narrow)), (Width: 16, Result: Finish(wide)) };

            var winners = results.Where(process => process.Result.ExitCode == 0).ToList();
            var winner = Assert.Single(winners);
            var loser = results.Single(process => process.Result.ExitCode != 0).Result;
            Assert.Matches("is in use by another process|already holds a run", loser.Error);
            Assert.DoesNotContain("   at ", loser.Error); // a message, not a stack trace

            var spec = JsonNode.Parse(File.ReadAllText(folder.File($"{run}/nfm.json")))!;
            Assert.Equal(winner.Width, (int)spec["width"]!);
            var manifest = new RunFolder(folder.File(run)).ReadManifest();
            Assert.Equal(manifest.ParameterCount, Checkpoint.ReadHeader(folder.File($"{run}/checkpoint.bin")).ParameterCount);
            var resume = NfmProcess.Run(folder.Path, "train", "--run", run, "--resume");
            Assert.True(resume.ExitCode == 0, resume.ToString());
        }
    }

    [Fact]
    public void TheDefaultRunFolderNamesWhatDiffersAndARepeatIsRefused()
    {
        var first = NfmProcess.Run(folder.Path, Toy("--width", "8", "--alpha", "0.5", "--seed", "3"));
        var otherSeed = NfmProcess.Run(folder.Path, Toy("--width", "8", "--alpha", "0.5", "--seed", "4"));
        var repeat = NfmProcess.Run(folder.Path, Toy("--width", "8", "--alpha", "0.5", "--seed", "3"));

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(otherSeed.ExitCode == 0, otherSeed.ToString());
        Assert.True(File.Exists(folder.File("runs/toy-mlp-w8-moons-nfm-alpha-0.5-s3/run.json")), first.ToString());
        Assert.True(File.Exists(folder.File("runs/toy-mlp-w8-moons-nfm-alpha-0.5-s4/run.json")), otherSeed.ToString());
        Assert.True(repeat.ExitCode != 0, repeat.ToString());
        Assert.Contains("already holds a run; resume it, or choose another run folder", repeat.Error);
    }

    [Fact]
    public void MixPointsThatSelectWhatThePresetSelectsKeepItsName()
    {
        var all = NfmProcess.Run(folder.Path, Toy("--mix-points", "0,1,2", "--run", "all"));
        var some = NfmProcess.Run(folder.Path, Toy("--mix-points", "2,1", "--run", "some"));

        Assert.True(all.ExitCode == 0, all.ToString());
        Assert.True(some.ExitCode == 0, some.ToString());
        Assert.Equal("nfm", new RunFolder(folder.File("all")).ReadManifest().Scheme.Name);
        Assert.Equal("nfm (points 1,2)", new RunFolder(folder.File("some")).ReadManifest().Scheme.Name);
    }

    [Fact]
    public void AModelSpecWithoutItsFieldsIsRefusedNamingTheFileAndTheField()
    {
        var train = NfmProcess.Run(folder.Path, Toy("--scheme", "erm", "--run", "run"));
        Assert.True(train.ExitCode == 0, train.ToString());
        File.WriteAllText(folder.File("run/nfm.json"), "{}");

        var resume = NfmProcess.Run(folder.Path, "train", "--run", "run", "--resume");

        Assert.True(resume.ExitCode != 0, resume.ToString());
        Assert.Contains($"{folder.File("run/nfm.json")} is not a complete model spec", resume.Error);
        Assert.Contains("it has no \"model\"", resume.Error);
    }

    [Fact]
    public void AnEmptyRunManifestIsRefusedNamingTheFileAndTheField()
    {
        var train = NfmProcess.Run(folder.Path, Toy("--scheme", "erm", "--run", "run"));
        Assert.True(train.ExitCode == 0, train.ToString());
        File.WriteAllText(folder.File("run/run.json"), "{}");

        var resume = NfmProcess.Run(folder.Path, "train", "--run", "run", "--resume");

        Assert.True(resume.ExitCode != 0, resume.ToString());
        Assert.Contains("run.json is not a complete run manifest: it has no \"network\"", resume.Error);
        Assert.DoesNotContain("NullReferenceException", resume.Error);
    }

    private static NfmProcess.Result Finish(System.Diagnostics.Process process)
    {
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)), "nfm did not finish");
        return new NfmProcess.Result(process.ExitCode, output.Result, error.Result);
    }
}
