using System.Diagnostics;
using NfmGen.Data;
using NfmGen.Models;
using NfmGen.Reports;
using NfmGen.Robustness;
using NfmGen.Tests.Data;
using NfmGen.Training;
using static TorchSharp.torch;

namespace NfmGen.Tests.Cli;

/// <summary><c>nfm train</c> then <c>nfm eval</c> on a tiny CIFAR-10 folder: the report holds exactly the library's numbers.</summary>
public sealed class TrainAndEvalTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void EvalReportEqualsTheLibrarysEvaluationOfTheTrainedCheckpoint()
    {
        var data = WriteTinyCifar10();
        var train = NfmProcess.Run(folder.Path, "train", "--model", "small-convnet", "--width", "2", "--dataset", "cifar10", "--data", data,
            "--epochs", "1", "--batch-size", "8", "--lr", "0.01", "--schedule", "constant", "--device", "cpu", "--run", "run", "--layout", "nchw");
        Assert.True(train.ExitCode == 0, train.ToString());
        Assert.Contains("\"channelsLast\": false", File.ReadAllText(folder.File("run/run.json")));

        string[] perturbations = ["white:0.1", "sp:0.05", "fgsm:2/255"];
        var eval = NfmProcess.Run(folder.Path, ["eval", "--run", "run", "--seed", "4", "--device", "cpu", .. perturbations.SelectMany(spec => new[] { "--perturb", spec })]);
        Assert.True(eval.ExitCode == 0, eval.ToString());
        var reported = ReportJson.Load(folder.File("run/report.json")).Rows.Single();

        using var network = new SmallConvNet(numClasses: 10, inChannels: 3, width: 2, imageSize: 32);
        var (_, states) = Checkpoint.Load(folder.File("run/checkpoint.bin"), network, null, "SmallConvNet", 10, TrainingScheme.Nfm());
        foreach (var state in states)
            state.Dispose();
        using var test = Cifar10.Load(data, DatasetSplit.Test);
        var expected = RobustnessEvaluator.Evaluate("nfm", network, test, PerturbationSpecParser.ParseAll(perturbations), CPU, seed: 4, channelsLast: false);

        Assert.Equal(expected, reported);
        Assert.Equal(3, reported.Results.Count);
        Assert.True(File.Exists(folder.File("run/robustness.png")));
        Assert.Contains("nfm", eval.Output);
    }

    [Fact]
    public void CtrlCStopsTrainingAfterWritingACheckpoint()
    {
        using var process = NfmProcess.Start(folder.Path, "train", "--model", "toy-mlp", "--dataset", "moons", "--epochs", "100000",
            "--scheme", "erm", "--device", "cpu", "--run", "run");
        var checkpoint = folder.File("run/checkpoint.bin");
        var clock = Stopwatch.StartNew();
        while (!File.Exists(checkpoint) && clock.Elapsed < TimeSpan.FromMinutes(1) && !process.HasExited)
            Thread.Sleep(50);
        Assert.True(File.Exists(checkpoint), "no checkpoint appeared");

        Process.Start("kill", ["-INT", process.Id.ToString()])!.WaitForExit();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(1)), "nfm did not stop on SIGINT");

        Assert.Equal(130, process.ExitCode);
        Assert.Contains("continue with --resume", process.StandardError.ReadToEnd());
        var header = Checkpoint.ReadHeader(checkpoint);
        Assert.True(header.Progress.GlobalStep > 0);
        Assert.False(File.Exists(checkpoint + ".tmp"));
    }

    private string WriteTinyCifar10()
    {
        var data = DataFileWriter.WriteCifar10Folder(folder.File("cifar"), perBatch: 8, testCount: 24);
        return data;
    }
}
