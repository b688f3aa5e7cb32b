using System.Text.Json.Nodes;
using NfmGen.Randomness;
using NfmGen.Reports;
using NfmGen.Reports.Plots;

namespace NfmGen.Tests.Sweeps;

/// <summary>The formats of <c>nfm sweep report</c>: text, Markdown, CSV, JSON, and the PNG with error bars.</summary>
public sealed class SeedAveragedRendererTests
{
    private static readonly ReportColumn[] Columns =
        [new(PerturbationKind.WhiteNoise, null, 0.1, "0.1"), new(PerturbationKind.SaltAndPepper, null, 0.02, "0.02")];

    // erm: three seeds; nfm: one of three seeds finished; and one row of the paper.
    private static readonly SeedAveragedReport Report = new(
        "ToyMlp on moons-test (sweep sw): mean ± std over seeds",
        Columns,
        [
            new SeedAveragedRow("erm", new Spread(0.92, 0.02, 3), [new Spread(0.84, 0.04, 3), new Spread(0.70, 0.1, 3)]) { Seeds = new SeedCount(3, 3, []) },
            new SeedAveragedRow("nfm", new Spread(0.95, null, 1), [new Spread(0.83, null, 1), null])
            {
                Seeds = new SeedCount(1, 3, [KeyValuePair.Create("failed", 1), KeyValuePair.Create("pending", 1)]),
            },
            SeedAveragedRow.Published(new ReportRow("Baseline", 0.946, [PerturbationResult.WhiteNoise(0.1, 0.904)]) { Source = "paper" }, Columns),
        ],
        ["column σ 0.3 left out: only 1 of the 4 finished runs were evaluated there"]);

    [Fact]
    public void Text_shows_mean_plus_minus_std_the_seed_count_and_marks_the_incomplete_group()
    {
        var text = SeedAveragedRenderer.Render(Report, ReportFormat.Text);

        Assert.Equal(
            """
            ToyMlp on moons-test (sweep sw): mean ± std over seeds
            Group                  Clean        σ 0.1        γ 0.02   Seeds
            ----------------  -----------  -----------  ------------  -----------------------------
            erm               92.0 ± 2.0   84.0 ± 4.0   70.0 ± 10.0*  n=3
            nfm               95.0 ± n/a*  83.0 ± n/a             -   n=1 of 3, 1 failed, 1 pending
            Baseline [paper]        94.6         90.4*            -   paper
            """.ReplaceLineEndings("\n") + "\n" + SeedAveragedRenderer.Legend + " * best mean in column.\n"
            + "Note: column σ 0.3 left out: only 1 of the 4 finished runs were evaluated there\n",
            text);
    }

    [Fact]
    public void Markdown_is_a_table_with_the_best_mean_in_bold_and_the_legend_under_it()
    {
        var lines = SeedAveragedRenderer.Render(Report, ReportFormat.Markdown).Split('\n');

        Assert.Equal("| Group | Clean | σ 0.1 | γ 0.02 | Seeds |", lines[2]);
        Assert.Equal("| :--- | ---: | ---: | ---: | :--- |", lines[3]);
        Assert.Equal("| erm | 92.0 ± 2.0 | 84.0 ± 4.0 | **70.0 ± 10.0** | n=3 |", lines[4]);
        Assert.Equal("| nfm | **95.0 ± n/a** | 83.0 ± n/a | - | n=1 of 3, 1 failed, 1 pending |", lines[5]);
        Assert.Contains(SeedAveragedRenderer.Legend + " Bold: best mean in column.", lines);
    }

    [Fact]
    public void Csv_gives_mean_and_std_in_separate_fields_and_the_seed_counts()
    {
        var csv = SeedAveragedRenderer.Render(Report, ReportFormat.Csv);

        Assert.Equal(
            """
            Group,Source,n,Seeds,Missing,Clean,Clean std,σ 0.1,σ 0.1 std,γ 0.02,γ 0.02 std
            erm,,3,3,,92.00,2.00,84.00,4.00,70.00,10.00
            nfm,,1,3,"1 failed, 1 pending",95.00,,83.00,,,
            Baseline,paper,,,,94.60,,90.40,,,

            """.ReplaceLineEndings("\n"),
            csv);
    }

    [Fact]
    public void Json_gives_fractions_a_missing_std_as_null_and_whether_each_group_is_complete()
    {
        var json = JsonNode.Parse(SeedAveragedRenderer.Render(Report, ReportFormat.Json))!;

        Assert.Equal(["σ 0.1", "γ 0.02"], json["columns"]!.AsArray().Select(column => (string)column!["header"]!));
        var erm = json["rows"]![0]!;
        Assert.Equal((0.92, 0.02, 3), ((double)erm["clean"]!["mean"]!, (double)erm["clean"]!["std"]!, (int)erm["clean"]!["n"]!));
        Assert.True((bool)erm["seeds"]!["complete"]!);
        var nfm = json["rows"]![1]!;
        Assert.Null(nfm["clean"]!["std"]);
        Assert.Null(nfm["results"]![1]);
        Assert.Equal((1, 3, false, 1), ((int)nfm["seeds"]!["n"]!, (int)nfm["seeds"]!["of"]!, (bool)nfm["seeds"]!["complete"]!, (int)nfm["seeds"]!["missing"]!["failed"]!));
        Assert.Equal("paper", (string)json["rows"]![2]!["source"]!);
        Assert.Null(json["rows"]![2]!["seeds"]);
        Assert.Single(json["notes"]!.AsArray());
    }

    [Fact]
    public void The_plot_is_a_png_with_a_panel_per_perturbation_under_a_header_strip()
    {
        using var folder = new TempDirectory();

        var plot = SeedAveragedPlot.Save(Report, folder.File("report.png"));

        var bytes = File.ReadAllBytes(plot.Path);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        // Two panels side by side (no panel given to the legend), the title and legend in a strip above them.
        Assert.Equal(2 * 420, plot.Width);
        Assert.InRange(plot.Height - 320, 40, 130);
        Assert.Contains("perturbation column", Assert.Throws<ArgumentException>(() =>
            SeedAveragedPlot.Save(Report with { Columns = [], Rows = [] }, folder.File("none.png"))).Message);
    }
}
