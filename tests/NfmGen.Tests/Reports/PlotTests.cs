using NfmGen.Reports;
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
    public void Accuracy_curves_have_a_panel_per_perturbation_and_a_legend_panel()
    {
        using var folder = new TempDirectory();
        var report = SampleReports.AllKinds().WithRows(PaperResults.Rows(PaperTable.Cifar10PreActResNet18).Take(2));

        var saved = AccuracyCurvePlot.Save(report, PlotPath(folder, "curves.png"), panelWidth: 300, panelHeight: 240);

        // σ, γ, FGSM, PGD, gaussian_noise, fog, mean, legend: 8 panels, 3 per row.
        Assert.Equal((900, 720), (saved.Width, saved.Height));
        using var png = Png.Read(saved.Path);
        Assert.Equal((900, 720), (png.Width, png.Height));
        Assert.True(png.DistinctColors() > 50, $"only {png.DistinctColors()} colours: blank?");
        // The first panel's title is text above its frame: dark pixels in the top strip mean a font was found.
        Assert.True(png.Count(Png.IsDark, 60, 0, 240, 25) > 20, "no title text in the first panel");
        // The lines are coloured (Category10: blue, orange, green ...).
        Assert.True(png.Count(Png.IsBluish, 0, 0, 300, 240) > 50, "no blue line in the first panel");
    }

    [Fact]
    public void The_paper_tables_plot_with_a_legend_for_every_scheme()
    {
        using var folder = new TempDirectory();

        var saved = AccuracyCurvePlot.Save(PaperResults.Report(PaperTable.Cifar10PreActResNet18), PlotPath(folder, "paper-table-1.png"));

        // σ, γ and the legend side by side, at the default panel size.
        Assert.Equal((3 * 420, 320), (saved.Width, saved.Height));
        using var png = Png.Read(saved.Path);
        Assert.True(png.DistinctColors() > 50, $"only {png.DistinctColors()} colours: blank?");
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
