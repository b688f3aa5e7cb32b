using NfmGen.Reports;
using NfmGen.Training;

namespace NfmGen.Tests.Cli;

/// <summary><c>nfm train|eval|predict --dataset csv</c> on a slice of UCI Letter Recognition, as a user runs them.</summary>
public sealed class TableCommandTests : IDisposable
{
    private readonly TempDirectory folder = new();
    private readonly string letter;

    public TableCommandTests()
    {
        letter = folder.File("letter.csv");
        File.WriteAllLines(letter, File.ReadLines(Path.Combine(RepositoryPaths.Root, "benchmarks", "data", "letter-recognition.csv")).Take(401));
    }

    public void Dispose() => folder.Dispose();

    [Fact]
    public void A_csv_file_trains_evaluates_resumes_and_predicts()
    {
        var train = NfmProcess.Run(folder.Path, "train", "--model", "tabular-mlp", "--width", "16", "--dataset", "csv", "--data", "letter.csv",
            "--label", "lettr", "--test-fraction", "0.25", "--split-seed", "2", "--epochs", "2", "--batch-size", "32", "--device", "cpu", "--scheme", "nfm");
        Assert.True(train.ExitCode == 0, train.ToString());
        var run = folder.File("runs/tabular-mlp-w16-letter-nfm-s0");
        var table = new RunFolder(run).ReadManifest().Table!;
        Assert.Equal(16, table.FeatureCount);
        Assert.Equal(0.25, table.TestFraction);
        Assert.Equal(2, table.SplitSeed);

        var eval = NfmProcess.Run(folder.Path, "eval", "--run", run, "--device", "cpu");
        Assert.True(eval.ExitCode == 0, eval.ToString());
        var row = ReportJson.Load(Path.Combine(run, "report.json")).Rows.Single();
        Assert.Equal([PerturbationKind.WhiteNoise, PerturbationKind.WhiteNoise, PerturbationKind.WhiteNoise, PerturbationKind.WhiteNoise,
            PerturbationKind.FeatureDrop, PerturbationKind.FeatureDrop, PerturbationKind.FeatureDrop], row.Results.Select(result => result.Kind));
        Assert.Contains("drop 0.3", File.ReadAllText(Path.Combine(run, "report.md")));

        // The run's own file named again (or moved) gives its held-out rows, never the rows it trained on.
        var again = NfmProcess.Run(folder.Path, "eval", "--run", run, "--dataset", "csv", "--data", "letter.csv", "--device", "cpu", "--out", "again");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("evaluating its held-out rows only", again.Error);
        Assert.Equal(row, ReportJson.Load(folder.File("again/report.json")).Rows.Single());

        var resume = NfmProcess.Run(folder.Path, "train", "--resume", "--run", run);
        Assert.True(resume.ExitCode == 0, resume.ToString());

        File.WriteAllLines(folder.File("rows.csv"), File.ReadLines(letter).Take(6));
        var predict = NfmProcess.Run(folder.Path, "predict", "--run", run, "rows.csv", "--out", "out/predictions.csv", "--device", "cpu");
        Assert.True(predict.ExitCode == 0, predict.ToString());
        var lines = File.ReadAllLines(folder.File("out/predictions.csv"));
        Assert.Equal(6, lines.Length);
        Assert.StartsWith(File.ReadLines(letter).First() + ",predicted,p(A),p(B)", lines[0]);
        Assert.All(lines.Skip(1), line => Assert.Equal(1 + 16 + 1 + 26, line.Split(',').Length));
        Assert.StartsWith("T,2,8,3,5,1,8,13,0,6,6,10,8,0,8,0,8,", lines[1]); // the row as it was written
    }

    [Fact]
    public void A_sweep_over_a_csv_file_trains_evaluates_and_reports_feature_drop_per_scheme()
    {
        var created = NfmProcess.Run(folder.Path, "sweep", "new", "sw", "--grid", "scheme=erm,nfm", "--model", "tabular-mlp", "--width", "8",
            "--dataset", "csv", "--data", letter, "--label", "lettr", "--epochs", "1", "--batch-size", "64", "--device", "cpu",
            "--perturb", "white:0.5", "--perturb", "feature-drop:0.2");
        Assert.True(created.ExitCode == 0, created.ToString());

        var local = NfmProcess.Run(folder.Path, "sweep", "local", "sw", "--parallel", "1");
        Assert.True(local.ExitCode == 0, local.ToString());
        var report = NfmProcess.Run(folder.Path, "sweep", "report", "sw", "--format", "markdown");

        Assert.True(report.ExitCode == 0, report.ToString());
        Assert.Contains("| Group | Clean | σ 0.5 | drop 0.2 | Seeds |", report.Output);
        Assert.Contains("| erm |", report.Output);
        Assert.Contains("| nfm |", report.Output);
    }

    [Fact]
    public void Table_options_are_refused_where_they_do_not_apply_and_required_where_they_do()
    {
        string[] common = ["train", "--model", "tabular-mlp", "--epochs", "1", "--device", "cpu"];

        var noLabel = NfmProcess.Run(folder.Path, [.. common, "--dataset", "csv", "--data", "letter.csv"]);
        var elsewhere = NfmProcess.Run(folder.Path, [.. common, "--dataset", "moons", "--label", "lettr"]);
        var both = NfmProcess.Run(folder.Path, [.. common, "--dataset", "csv", "--data", "letter.csv", "--label", "lettr", "--test", "letter.csv", "--test-fraction", "0.2"]);
        var cutmix = NfmProcess.Run(folder.Path, [.. common, "--dataset", "csv", "--data", "letter.csv", "--label", "lettr", "--scheme", "cutmix"]);
        var badImpute = NfmProcess.Run(folder.Path, [.. common, "--dataset", "csv", "--data", "letter.csv", "--label", "lettr", "--impute", "mode"]);

        Assert.Contains("--dataset csv needs --label", noLabel.Error);
        Assert.Contains("--label: only for --dataset csv (was moons)", elsewhere.Error);
        Assert.Contains("--test names the test rows; --test-fraction and --split-seed draw them from --data instead", both.Error);
        Assert.Contains("CutMix (the cutmix scheme) cuts and pastes rectangles of images, but letter.csv is not image data", cutmix.Error);
        Assert.Contains("--impute must be one of mean, median (was 'mode')", badImpute.Error);
        Assert.All([noLabel, elsewhere, both, cutmix, badImpute], refused => Assert.NotEqual(0, refused.ExitCode));
        Assert.False(Directory.Exists(folder.File("runs")) && Directory.EnumerateFiles(folder.File("runs"), "run.json", SearchOption.AllDirectories).Any());
    }
}
