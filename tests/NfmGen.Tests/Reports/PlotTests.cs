using NfmGen.Reports;
using NfmGen.Reports.Plots;
using NfmGen.Tests.Build;
using static TorchSharp.torch;

namespace NfmGen.Tests.Reports;

public class PlotTests
{
    /// <summary>Keeps the PNGs for a person to look at when NFMGEN_KEEP_PLOTS names a folder.</summary>
    private static string PlotPath(TempDirectory folder, string name) =>
        Environment.GetEnvironmentVariable("NFMGEN_KEEP_PLOTS") is { Length: > 0 } keep
            ? Path.Combine(keep, name)
            : folder.File(name);

    [Fact]
    public void Accuracy_curves_have_a_panel_per_perturbation_under_a_header()
    {
        using var folder = new TempDirectory();
        var report = SampleReports.AllKinds().WithRows(PaperResults.Rows(PaperTable.Cifar10PreActResNet18).Take(2));

        var saved = AccuracyCurvePlot.Save(report, PlotPath(folder, "curves.png"), panelWidth: 300, panelHeight: 240);

        // σ, γ, FGSM, PGD, gaussian_noise, fog, mean: 7 panels, 3 per row, under the title and legend.
        Assert.Equal(900, saved.Width);
        Assert.InRange(saved.Height, 3 * 240 + 40, 3 * 240 + 130);
        int header = saved.Height - 3 * 240;
        using var png = Png.Read(saved.Path);
        Assert.Equal((saved.Width, saved.Height), (png.Width, png.Height));
        Assert.True(png.DistinctColors() > 50, $"only {png.DistinctColors()} colours: blank?");
        // The first panel's title is text above its frame: dark pixels in its top strip mean a font was found.
        Assert.True(png.Count(Png.IsDark, 60, header, 240, header + 25) > 20, "no title text in the first panel");
        // The lines are coloured (Category10: blue, orange, green ...).
        Assert.True(png.Count(Png.IsBluish, 0, header, 300, header + 240) > 50, "no blue line in the first panel");
    }

    [Fact]
    public void The_paper_tables_plot_with_a_legend_for_every_scheme()
    {
        using var folder = new TempDirectory();

        var saved = AccuracyCurvePlot.Save(PaperResults.Report(PaperTable.Cifar10PreActResNet18), PlotPath(folder, "paper-table-1.png"));

        // σ and γ side by side at the default panel size, under the title and a legend of every row.
        Assert.Equal(2 * 420, saved.Width);
        Assert.InRange(saved.Height, 320 + 40, 320 + 200); // nine rows: the legend takes several lines
        using var png = Png.Read(saved.Path);
        Assert.True(png.DistinctColors() > 50, $"only {png.DistinctColors()} colours: blank?");
    }

    [Fact]
    public void One_perturbation_gets_the_whole_width_a_centred_title_and_an_accuracy_axis_fitted_to_its_curves()
    {
        using var folder = new TempDirectory();
        // The demo's shape: five schemes between 76% and 97% under white noise.
        double[][] accuracies =
        [
            [96.4, 94.9, 89.0, 82.8, 76.2], [97.1, 95.8, 91.7, 86.9, 82.5], [94.0, 93.0, 90.4, 86.9, 82.9],
            [96.6, 95.4, 91.6, 87.5, 83.4], [96.5, 95.1, 91.6, 87.5, 83.3],
        ];
        string[] schemes = ["erm", "noise", "mixup", "manifold-mixup", "nfm"];
        var report = new RobustnessReport("Two moons, Gaussian noise on the inputs",
        [
            .. schemes.Select((scheme, i) => new ReportRow(scheme, accuracies[i][0] / 100,
                [.. new[] { 0.1, 0.2, 0.3, 0.4 }.Select((sigma, j) => PerturbationResult.WhiteNoise(sigma, accuracies[i][j + 1] / 100))])),
        ]);

        var saved = AccuracyCurvePlot.Save(report, PlotPath(folder, "demo-like.png"));

        // No panel of its own for the legend.
        Assert.Equal(420, saved.Width);
        using var png = Png.Read(saved.Path);
        int header = saved.Height - 320;
        Assert.InRange(header, 40, 130);
        // The report's title is centred over the image.
        var title = png.Bounds(Png.IsDark, 0, 0, saved.Width, 30) ?? throw new Xunit.Sdk.XunitException("no title text at the top");
        Assert.InRange((title.Left + title.Right) / 2, saved.Width / 2 - 15, saved.Width / 2 + 15);
        // erm (blue) falls from 96.4% to 76.2%, the whole range of the data: fitted, it spans most of the panel's height,
        // where an axis from 0 to 100 would give it a fifth of the plot area.
        var erm = png.Bounds(Png.IsBluish, 60, header + 30, saved.Width, saved.Height - 50) ?? throw new Xunit.Sdk.XunitException("no blue line");
        Assert.True(erm.Bottom - erm.Top > 0.45 * 320, $"the blue line spans {erm.Bottom - erm.Top} of 320 pixels");
    }

    [Theory]
    [InlineData(new[] { 76.2, 97.1 }, 74.0, 76.2, 97.1, 99.3)]
    [InlineData(new[] { 50.0, 50.0 }, 49.0, 49.0, 51.0, 51.0)]
    [InlineData(new[] { 0.5, 40.0 }, 0.0, 0.0, 40.0, 44.0)]
    public void The_accuracy_axis_spans_the_data_with_a_small_margin(double[] accuracies, double minLow, double minHigh, double maxLow, double maxHigh)
    {
        var (min, max) = AccuracyCurvePlot.AccuracyRange(accuracies);

        Assert.InRange(min, minLow, minHigh);
        Assert.InRange(max, maxLow, maxHigh);
        Assert.True(max - min >= 2, $"[{min}, {max}] is too narrow to read");
    }

    [Fact]
    public void Accuracy_curves_need_a_perturbation()
    {
        var report = new RobustnessReport("", [new ReportRow("clean only", 0.9, [PerturbationResult.CifarCorruptionMean(0, 0.7)])]);

        var error = Assert.Throws<ArgumentException>(() => AccuracyCurvePlot.Save(report, "unused.png"));

        Assert.Contains("must have a perturbation column to plot", error.Message);
    }

    [Fact]
    public void Decision_boundaries_shade_each_class_on_its_side()
    {
        using var folder = new TempDirectory();
        var (points, labels) = TwoBands();
        DecisionBoundaryModel[] models =
        [
            new("hard labels", 1.0, grid => Enumerable.Range(0, grid.GetLength(0)).Select(i => grid[i, 1] > 0 ? 1f : 0f).ToArray()),
            // A TorchSharp "network": logits 5·y, one per point, so P(class 1) = sigmoid(5y).
            DecisionBoundaryModel.FromLogits("logits [N, 1]", 0.875, x => x[TensorIndex.Colon, TensorIndex.Slice(1, 2)] * 5),
            // Two-class logits (0, 5·y): softmax gives the same P(class 1).
            DecisionBoundaryModel.FromLogits("logits [N, 2]", 0.5, x => stack([zeros_like(x[TensorIndex.Colon, 1]), x[TensorIndex.Colon, 1] * 5], 1)),
            new("right of x = 0.5", 0.75, grid => Enumerable.Range(0, grid.GetLength(0)).Select(i => grid[i, 0] > 0.5f ? 1f : 0f).ToArray()),
        ];

        var saved = DecisionBoundaryPlot.Save(models, points, labels, PlotPath(folder, "boundaries.png"), panelWidth: 320, panelHeight: 300, resolution: 60);

        Assert.Equal((960, 600), (saved.Width, saved.Height));
        using var png = Png.Read(saved.Path);
        Assert.Equal((960, 600), (png.Width, png.Height));
        Assert.True(png.DistinctColors() > 50, $"only {png.DistinctColors()} colours: blank?");
        for (int panel = 0; panel < 3; panel++)
        {
            // Class 1 (y > 0) is the upper half of the data area, shaded red; class 0 below, blue.
            int left = panel * 320;
            Assert.True(png.Count(Png.IsReddish, left + 120, 60, left + 280, 110) > 2000, $"panel {panel}: upper half not red");
            Assert.True(png.Count(Png.IsBluish, left + 120, 180, left + 280, 230) > 2000, $"panel {panel}: lower half not blue");
            Assert.True(png.Count(Png.IsDark, left + 40, 0, left + 280, 25) > 20, $"panel {panel}: no title text");
        }
        // The fourth panel (second row) is red right of x = 0.5, about 3/4 across its data area, and blue left of it.
        Assert.True(png.Count(Png.IsReddish, 265, 360, 290, 520) > 2000, "panel 3: right side not red");
        Assert.True(png.Count(Png.IsBluish, 80, 360, 200, 520) > 2000, "panel 3: left side not blue");
    }

    [Fact]
    public void A_classifier_that_returns_too_few_values_is_named()
    {
        var (points, labels) = TwoBands();
        DecisionBoundaryModel[] models = [new("short", 0.5, _ => [0.5f])];

        var error = Assert.Throws<InvalidOperationException>(() => DecisionBoundaryPlot.Save(models, points, labels, "unused.png", resolution: 10));

        Assert.Equal("the classifier of \"short\" must return one value per grid point, 100 (was 1)", error.Message);
    }

    [Fact]
    public void Labels_must_be_binary()
    {
        var (points, labels) = TwoBands();
        labels[3] = 2;

        var error = Assert.Throws<ArgumentException>(() =>
            DecisionBoundaryPlot.Save([new DecisionBoundaryModel("m", 0.5, g => new float[g.GetLength(0)])], points, labels, "unused.png"));

        Assert.Contains("labels must be 0 or 1 (label 3 was 2)", error.Message);
    }

    /// <summary>Points on a jittered grid over [-1, 1]², labelled 1 above the x axis.</summary>
    private static (float[,] Points, int[] Labels) TwoBands()
    {
        var points = new float[64, 2];
        var labels = new int[64];
        for (int i = 0; i < 64; i++)
        {
            points[i, 0] = -1 + 2 * (i % 8) / 7f + 0.03f * MathF.Sin(7 * i);
            points[i, 1] = -1 + 2 * (i / 8) / 7f + 0.03f * MathF.Cos(5 * i);
            labels[i] = points[i, 1] > 0 ? 1 : 0;
        }
        return (points, labels);
    }
}
