using NfmGen.Reports;
using NfmGen.Tests.Data.Images;

namespace NfmGen.Tests.Cli;

/// <summary><c>nfm eval --perturb autoattack:...</c> and its version, from the command line and in a sweep's evaluation.</summary>
public sealed class AutoAttackCommandTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Eval_reports_AutoAttack_with_the_accuracy_after_each_attack()
    {
        TrainOnFourClasses(imagesPerClass: 3);

        var eval = NfmProcess.Run(folder.Path, "eval", "--run", "run", "--device", "cpu", "--perturb", "autoattack:2/255", "--perturb", "autoattack-l2:0.25",
            "--aa-version", "fast", "--test-samples", "5");

        Assert.True(eval.ExitCode == 0, eval.ToString());
        Assert.Matches(@"SmallConvNet on \S+ \(first 5 of \d+\)", File.ReadAllText(folder.File("run/report.md")));
        Assert.Contains("AA-fast 2/255", eval.Output);
        Assert.Contains("AA-L2-fast 0.25", eval.Output);
        var row = RobustnessReport.Load(folder.File("run/report.json")).Rows.Single();
        var linf = row.Results.Single(result => result.Kind == PerturbationKind.AutoAttack);
        Assert.Equal(("fast", 2.0 / 255), (linf.Version, linf.Level));
        Assert.Equal(["apgd-ce", "apgd-t"], linf.Stages!.Select(stage => stage.Attack));
        Assert.Contains("AA-fast 2/255 after apgd-ce,AA-fast 2/255 after apgd-t", File.ReadAllText(folder.File("run/report.csv")));
    }

    [Fact]
    public void More_test_samples_than_the_test_set_holds_are_refused_with_both_counts()
    {
        TrainOnFourClasses(imagesPerClass: 2);

        var eval = NfmProcess.Run(folder.Path, "eval", "--run", "run", "--device", "cpu", "--test-samples", "1000");

        Assert.True(eval.ExitCode == 1, eval.ToString());
        Assert.Matches(@"--test-samples 1000: \S+ holds \d+ samples", eval.Error);
    }

    [Fact]
    public void A_sweep_keeps_the_version_for_its_evaluations_and_refuses_an_unknown_one()
    {
        var refused = NfmProcess.Run(folder.Path, "sweep", "new", "bad", "--model", "small-convnet", "--dataset", "fashion-mnist",
            "--perturb", "autoattack:8/255", "--aa-version", "plus");
        var kept = NfmProcess.Run(folder.Path, "sweep", "new", "sw", "--model", "small-convnet", "--dataset", "fashion-mnist",
            "--perturb", "autoattack:8/255", "--aa-version", "fast", "--test-samples", "100");

        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains("plus", refused.Error);
        Assert.Contains("fast", refused.Error);
        Assert.False(Directory.Exists(folder.File("bad")), "a refused sweep left its folder");
        Assert.True(kept.ExitCode == 0, kept.ToString());
        var evaluate = NfmGen.Cli.Sweeps.SweepFolder.Open(folder.File("sw")).Definition.Evaluate;
        Assert.Equal(["fast"], evaluate.Single(option => option.Name == "aa-version").Values);
        Assert.Equal(["100"], evaluate.Single(option => option.Name == "test-samples").Values);
    }

    // A one-epoch run on an image folder of four classes (AutoAttack's targeted loss needs at least four), in 'run'.
    private void TrainOnFourClasses(int imagesPerClass)
    {
        var data = ImageTreeWriter.Tree(folder.File("data"), ["a", "b", "c", "d"], imagesPerClass);
        var train = NfmProcess.Run(folder.Path, "train", "--model", "small-convnet", "--width", "2", "--dataset", "folder", "--data", data,
            "--image-size", "8", "--epochs", "1", "--batch-size", "4", "--device", "cpu", "--run", "run");
        Assert.True(train.ExitCode == 0, train.ToString());
    }
}
