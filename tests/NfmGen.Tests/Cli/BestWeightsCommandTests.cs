using NfmGen.Models;
using NfmGen.Reports;
using NfmGen.Training;

namespace NfmGen.Tests.Cli;

/// <summary>
/// A run with a validation split keeps its best epoch's weights, and one with <c>--model-ema</c> the weights' moving
/// average; <c>--select best|ema</c> makes <c>eval</c> and <c>export</c> use them, and the report says so.
/// </summary>
public sealed class BestWeightsCommandTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    private NfmProcess.Result Nfm(params string[] arguments) => NfmProcess.Run(folder.Path, arguments);

    [Fact]
    public void The_best_epoch_on_the_validation_split_is_kept_and_selected_by_name()
    {
        var train = Nfm("train", "--model", "toy-mlp", "--width", "8", "--dataset", "moons", "--epochs", "4", "--val-fraction", "0.2",
            "--model-ema", "--model-ema-decay", "0.9", "--schedule", "constant", "--device", "cpu", "--run", "run", "--no-tensorboard");
        Assert.True(train.ExitCode == 0, train.ToString());
        var run = new RunFolder(folder.File("run"));
        var metrics = run.ReadMetrics();
        var best = Checkpoint.ReadHeader(run.BestCheckpointPath).Progress.Best!;
        var highest = metrics.Max(epoch => epoch.ValidationAccuracy!.Value);
        Assert.Equal(metrics.First(epoch => epoch.ValidationAccuracy == highest).Epoch, best.Epoch); // the first of equals
        Assert.Equal((BestMetrics.Accuracy, highest), (best.Metric, best.Value));
        Assert.Equal(best.Epoch, Checkpoint.ReadHeader(run.BestCheckpointPath).Progress.Epoch);

        var eval = Nfm("eval", "--run", "run", "--select", "best", "--perturb", "white:0.1", "--device", "cpu", "--out", "best-report");
        Assert.True(eval.ExitCode == 0, eval.ToString());
        Assert.Contains($"(best), epoch {best.Epoch})", eval.Output);
        Assert.Equal("nfm (best)", RobustnessReport.Load(folder.File("best-report/report.json")).Rows.Single().Name);

        var export = Nfm("export", "--run", "run", "--select", "best", "--out", "best.safetensors");
        Assert.True(export.ExitCode == 0, export.ToString());
        using var fromBest = new ToyMlp(hidden: 8);
        NfmGen.Interop.PyTorchWeights.Import(fromBest, folder.File("best.safetensors"));
        using var loaded = new ToyMlp(hidden: 8);
        Checkpoint.Load(run.BestCheckpointPath, loaded, null, "ToyMlp", 2, null);
        Tests.Training.TinyTraining.AssertSameWeights(loaded, fromBest);

        var ema = Nfm("eval", "--run", "run", "--select", "ema", "--perturb", "white:0.1", "--device", "cpu", "--out", "ema-report");
        Assert.True(ema.ExitCode == 0, ema.ToString());
        var averaged = RobustnessReport.Load(folder.File("ema-report/report.json")).Rows.Single();
        Assert.Equal("nfm (ema)", averaged.Name);
        Assert.Equal(metrics[^1].EmaTestAccuracy!.Value, averaged.CleanAccuracy, 12); // what training measured of the same weights

        var both = Nfm("eval", "--run", "run", "--select", "best", "--checkpoint", run.CheckpointPath);
        Assert.True(both.ExitCode == 1, both.ToString());
        Assert.Contains("--checkpoint and --select both choose the weights: give one", both.Error);
    }

    [Fact]
    public void Without_a_validation_split_there_is_no_best_and_the_error_says_how_to_get_one()
    {
        var train = Nfm("train", "--model", "toy-mlp", "--width", "8", "--dataset", "moons", "--epochs", "1", "--device", "cpu", "--run", "run", "--no-tensorboard");
        Assert.True(train.ExitCode == 0, train.ToString());
        Assert.False(File.Exists(folder.File("run/best.bin")));

        var eval = Nfm("eval", "--run", "run", "--select", "best", "--device", "cpu");

        Assert.True(eval.ExitCode == 1, eval.ToString());
        Assert.Contains("has no validation split, so no best epoch (train with --val-fraction)", eval.Error);
        var ema = Nfm("eval", "--run", "run", "--select", "ema", "--device", "cpu");
        Assert.True(ema.ExitCode == 1, ema.ToString());
        Assert.Contains("keeps no moving average of its weights (train with --model-ema)", ema.Error);
    }

    [Theory]
    [InlineData("--best-metric chooses the best epoch on the validation split: add --val-fraction", "train", "--best-metric", "loss")]
    [InlineData("--model-ema-decay sets the weights' moving average: add --model-ema", "train", "--model-ema-decay", "0.9")]
    [InlineData("--val-fraction must be in [0, 1) (was 1.5)", "train", "--val-fraction", "1.5")]
    [InlineData("the evaluation scores the best weights (select best), which need a validation split: add --val-fraction", "sweep", "new", "sw", "--select", "best")]
    [InlineData("the evaluation scores the moving average (select ema), which needs --model-ema", "sweep", "new", "sw", "--select", "ema")]
    public void Options_that_would_have_no_effect_or_no_weights_to_score_are_refused_before_training(string expected, params string[] arguments)
    {
        string[] where = arguments[0] == "train" ? ["--run", "run"] : [];
        var result = Nfm([.. arguments, "--model", "toy-mlp", "--width", "8", "--dataset", "moons", "--epochs", "1", "--device", "cpu", .. where]);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains(expected, result.Error);
        Assert.False(File.Exists(folder.File("run/run.json")) || File.Exists(folder.File("sw/sweep.json")));
    }
}
