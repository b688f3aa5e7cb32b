using System.Text.Json.Nodes;
using NfmGen.Randomness;
using NfmGen.Tests.Cli;

namespace NfmGen.Tests.Sweeps;

/// <summary><c>nfm sweep status</c> and <c>nfm sweep report</c> end to end on a tiny real sweep: toy-mlp on moons, 2 schemes x 2 seeds.</summary>
public sealed class SweepReportCommandTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    private NfmProcess.Result Nfm(params string[] arguments) => NfmProcess.Run(folder.Path, arguments);

    private static void Succeeded(NfmProcess.Result result) => Assert.True(result.ExitCode == 0, result.ToString());

    [Fact]
    public void A_finished_two_by_two_sweep_reports_mean_and_std_over_two_seeds_per_scheme()
    {
        Succeeded(Nfm("sweep", "new", "sw", "--grid", "scheme=erm,nfm", "--grid", "seed=1..2", "--model", "toy-mlp", "--width", "8", "--dataset", "moons",
            "--epochs", "2", "--device", "cpu", "--perturb", "white:0.1,0.2"));
        var before = Nfm("sweep", "status", "sw");
        Succeeded(before);
        Assert.Contains("Totals: 4 pending", before.Output);
        Assert.Contains("no epoch measured yet", before.Output);

        for (var task = 0; task < 4; task++)
            Succeeded(Nfm("sweep", "run", "sw", "--task", task.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        var status = Nfm("sweep", "status", "sw");
        Succeeded(status);
        Assert.Matches(@"\n003 +done +2/2 +\d+\.\d% +0 +scheme=nfm seed=2\n", status.Output);
        Assert.Contains("Totals: 4 done", status.Output);
        Assert.Contains("Work left: none", status.Output);

        var report = Nfm("sweep", "report", "sw");
        Succeeded(report);
        var lines = report.Output.Split('\n');
        Assert.Matches(@"^erm +\d+\.\d ± \d+\.\d.* n=2$", lines.Single(line => line.StartsWith("erm ", StringComparison.Ordinal)));
        Assert.Matches(@"^nfm +\d+\.\d ± \d+\.\d.* n=2$", lines.Single(line => line.StartsWith("nfm ", StringComparison.Ordinal)));
        foreach (var file in new[] { "report.md", "report.csv", "report.json", "report.png" })
            Assert.True(File.Exists(folder.File("sw/" + file)), file);
        var json = JsonNode.Parse(File.ReadAllText(folder.File("sw/report.json")))!;
        Assert.Equal([2, 2], json["rows"]!.AsArray().Select(row => (int)row!["seeds"]!["n"]!));
        Assert.Equal(["σ 0.1", "σ 0.2"], json["columns"]!.AsArray().Select(column => (string)column!["header"]!));

        var csv = Nfm("sweep", "report", "sw", "--format", "csv", "--paper", "cifar10", "--out", "table.csv");
        Succeeded(csv);
        var rows = File.ReadAllLines(folder.File("table.csv"));
        Assert.StartsWith("Group,Source,n,Seeds,Missing,Clean,Clean std,σ 0.1,σ 0.1 std", rows[0]);
        Assert.StartsWith("erm,,2,2,,", rows[1]);
        Assert.StartsWith("Baseline,paper,,,,94.60,,90.40,,76.70,", rows[3]);
        Assert.True(File.Exists(folder.File("table.png")));
    }

    [Fact]
    public void Status_and_report_refuse_a_folder_without_a_sweep()
    {
        foreach (var command in new[] { "status", "report" })
        {
            var result = Nfm("sweep", command, "nothing-here");
            Assert.Equal(1, result.ExitCode);
            Assert.Contains("holds no sweep", result.Error);
        }
    }
}
