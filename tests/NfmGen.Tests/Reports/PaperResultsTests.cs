using NfmGen.Reports;

namespace NfmGen.Tests.Reports;

public class PaperResultsTests
{
    [Theory]
    [InlineData(nameof(PaperTable.Cifar10PreActResNet18), 9)]
    [InlineData(nameof(PaperTable.Cifar100WideResNet18), 9)]
    [InlineData(nameof(PaperTable.ImageNetResNet50), 4)]
    public void Every_row_is_labelled_paper_and_has_the_six_columns(string table, int rows)
    {
        var report = PaperResults.Report(Enum.Parse<PaperTable>(table));

        Assert.Equal(rows, report.Rows.Count);
        Assert.All(report.Rows, row => Assert.Equal("paper", row.Source));
        Assert.All(report.Rows, row => Assert.Equal(6, row.Results.Count));
        Assert.Equal(6, report.Columns().Count);
    }

    [Theory]
    [InlineData(nameof(PaperTable.Cifar10PreActResNet18), "Noisy Feature Mixup (α = 1.0)", null, 95.4)]
    [InlineData(nameof(PaperTable.Cifar10PreActResNet18), "Noisy Feature Mixup (α = 1.0)", "σ 0.3", 83.0)]
    [InlineData(nameof(PaperTable.Cifar10PreActResNet18), "Noisy Feature Mixup (α = 1.0)", "γ 0.1", 73.3)]
    [InlineData(nameof(PaperTable.Cifar10PreActResNet18), "Baseline", "σ 0.1", 90.4)]
    [InlineData(nameof(PaperTable.Cifar10PreActResNet18), "CutMix", null, 96.3)]
    [InlineData(nameof(PaperTable.Cifar10PreActResNet18), "Noisy Mixup (α = 1.0)", null, 78.9)]
    [InlineData(nameof(PaperTable.Cifar100WideResNet18), "Noisy Feature Mixup (α = 1.0)", null, 80.9)]
    [InlineData(nameof(PaperTable.Cifar100WideResNet18), "CutMix", "γ 0.04", 58.0)]
    [InlineData(nameof(PaperTable.Cifar100WideResNet18), "PuzzleMix (1200 epochs)", "σ 0.3", 6.2)]
    [InlineData(nameof(PaperTable.ImageNetResNet50), "Noisy Feature Mixup (α = 0.2)", "σ 0.5", 60.1)]
    [InlineData(nameof(PaperTable.ImageNetResNet50), "Noisy Feature Mixup (α = 1.0)", "γ 0.15", 54.4)]
    [InlineData(nameof(PaperTable.ImageNetResNet50), "Baseline", "σ 0.25", 67.0)]
    public void The_numbers_are_the_posters(string table, string scheme, string? header, double percent)
    {
        var report = PaperResults.Report(Enum.Parse<PaperTable>(table));
        var row = Assert.Single(report.Rows, row => row.Name == scheme);

        double accuracy = header is null ? row.CleanAccuracy : row.Find(Assert.Single(report.Columns(), c => c.Header == header))!.Accuracy;

        Assert.Equal(percent / 100, accuracy, 12);
    }

    [Fact]
    public void Table_1_renders_like_the_poster()
    {
        string markdown = ReportRenderer.Render(PaperResults.Report(PaperTable.Cifar10PreActResNet18), ReportFormat.Markdown);

        Assert.Contains("| Scheme | Clean | σ 0.1 | σ 0.2 | σ 0.3 | γ 0.02 | γ 0.04 | γ 0.1 |", markdown);
        Assert.Contains("| Noisy Feature Mixup (α = 1.0) [paper] | 95.4 | **95.0** | **91.6** | **83.0** | **91.9** | **87.4** | **73.3** |", markdown);
        Assert.Contains("| CutMix [paper] | **96.3** | 86.7 | 60.8 | 32.4 | 90.9 | 81.7 | 54.7 |", markdown);
    }

    [Fact]
    public void Table_3_has_the_imagenet_levels()
    {
        string csv = ReportRenderer.Render(PaperResults.Report(PaperTable.ImageNetResNet50), ReportFormat.Csv);

        Assert.StartsWith("Scheme,Source,Clean,σ 0.1,σ 0.25,σ 0.5,γ 0.06,γ 0.1,γ 0.15\nBaseline,paper,76.0,73.5,67.0,50.1,53.2,50.4,45.0\n", csv);
    }

    [Fact]
    public void Table_3_is_the_posters_every_row_and_column()
    {
        string csv = ReportRenderer.Render(PaperResults.Report(PaperTable.ImageNetResNet50), ReportFormat.Csv);

        // Copied from the poster's Table 3 (ResNet-50 on ImageNet), row by row.
        Assert.Equal(
            "Scheme,Source,Clean,σ 0.1,σ 0.25,σ 0.5,γ 0.06,γ 0.1,γ 0.15\n"
            + "Baseline,paper,76.0,73.5,67.0,50.1,53.2,50.4,45.0\n"
            + "Manifold Mixup (α = 0.2),paper,76.7,74.9,70.3,57.5,58.1,54.6,49.5\n"
            + "Noisy Feature Mixup (α = 0.2),paper,77.0,76.5,72.0,60.1,58.3,56.0,52.3\n"
            + "Noisy Feature Mixup (α = 1.0),paper,76.8,76.2,71.7,60.0,60.9,58.8,54.4\n",
            csv);
    }
}
