using NfmGen.Reports;

namespace NfmGen.Tests.Reports;

public class ReportModelTests
{
    [Fact]
    public void Factories_label_levels_as_papers_do()
    {
        Assert.Equal("0.1", PerturbationResult.WhiteNoise(0.1, 1).Label);
        Assert.Equal("0.02", PerturbationResult.SaltAndPepper(0.02, 1).Label);
        Assert.Equal("8/255", PerturbationResult.Fgsm(8 / 255.0, 1).Label);
        Assert.Equal("1/255", PerturbationResult.Pgd(1 / 255.0, 1).Label);
        Assert.Equal("0.03", PerturbationResult.Pgd(0.03, 1).Label);
        Assert.Equal("0", PerturbationResult.Fgsm(0, 1).Label);
        Assert.Equal("fog s3", PerturbationResult.CifarCorruption("fog", 3, 1).Label);
        Assert.Equal("mean s2", PerturbationResult.CifarCorruptionMean(2, 1).Label);
        Assert.Equal("mean", PerturbationResult.CifarCorruptionMean(0, 1).Label);
    }

    public static TheoryData<Func<PerturbationResult>, string, string> InvalidResults => new()
    {
        { () => PerturbationResult.WhiteNoise(0.1, 1.2), "accuracy", "must be a fraction in [0, 1], e.g. 0.954 for 95.4% (was 1.2)" },
        { () => PerturbationResult.WhiteNoise(0.1, double.NaN), "accuracy", "(was NaN)" },
        { () => PerturbationResult.WhiteNoise(-0.1, 0.5), "level", "must be a finite number >= 0 for kind WhiteNoise (was -0.1)" },
        { () => PerturbationResult.Fgsm(double.PositiveInfinity, 0.5), "level", "(was Infinity)" },
        { () => PerturbationResult.CifarCorruption("fog", 6, 0.5), "level", "must be a CIFAR-10-C severity 1, 2, 3, 4 or 5 for kind CifarCorruption (was 6)" },
        { () => PerturbationResult.CifarCorruption("fog", 0, 0.5), "level", "(was 0)" },
        { () => PerturbationResult.CifarCorruptionMean(-1, 0.5), "level", "or 0 for all severities, for kind CifarCorruptionMean (was -1)" },
        { () => PerturbationResult.CifarCorruption(" ", 1, 0.5), "corruption", "must name the CIFAR-10-C corruption" },
        { () => new PerturbationResult(PerturbationKind.WhiteNoise, 0.1, "0.1", 0.5, "fog"), "corruption", "must be null for kind WhiteNoise (was \"fog\")" },
        { () => new PerturbationResult(PerturbationKind.WhiteNoise, 0.1, "", 0.5), "label", "must be non-empty" },
        { () => new PerturbationResult((PerturbationKind)42, 0.1, "0.1", 0.5), "kind", "(was 42)" },
    };

    [Theory]
    [MemberData(nameof(InvalidResults))]
    public void Results_name_the_bad_value_and_the_range(Func<PerturbationResult> create, string parameter, string message)
    {
        var error = Assert.Throws<ArgumentException>(create);
        Assert.Equal(parameter, error.ParamName);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void A_row_rejects_two_results_for_one_column()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new ReportRow("NFM", 0.9, [PerturbationResult.WhiteNoise(0.1, 0.8), PerturbationResult.Fgsm(0.1, 0.5), PerturbationResult.WhiteNoise(0.1, 0.7)]));

        Assert.Contains("\"σ 0.1\" appears at 0 and 2", error.Message);
    }

    [Fact]
    public void A_row_rejects_a_clean_accuracy_out_of_range()
    {
        var error = Assert.Throws<ArgumentException>(() => new ReportRow("NFM", 95.4, []));

        Assert.Equal("cleanAccuracy", error.ParamName);
        Assert.Contains("(was 95.4)", error.Message);
    }

    [Fact]
    public void Rows_and_reports_compare_by_value()
    {
        Assert.Equal(SampleReports.Small(), SampleReports.Small());
        Assert.NotEqual(SampleReports.Small(), SampleReports.Small().WithRows([new ReportRow("x", 0.5, [])]));
        Assert.NotEqual(SampleReports.Small().Rows[0], SampleReports.Small().Rows[0] with { Source = "run-1" });
    }

    [Fact]
    public void A_row_with_a_source_shows_it_after_its_name()
    {
        var row = new ReportRow("NFM", 0.9, []);

        Assert.Equal("NFM", row.DisplayName);
        Assert.Equal("NFM [run-7]", (row with { Source = "run-7" }).DisplayName);
    }

    [Fact]
    public void WithRows_appends_and_keeps_the_title()
    {
        var report = SampleReports.Small().WithRows(PaperResults.Rows(PaperTable.Cifar10PreActResNet18));

        Assert.Equal("CIFAR-10, toy", report.Title);
        Assert.Equal(3 + 9, report.Rows.Count);
        Assert.Equal("NFM", report.Rows[1].Name);
        Assert.Equal("Baseline [paper]", report.Rows[3].DisplayName);
    }

    [Fact]
    public void A_column_takes_its_label_from_the_first_row_that_has_it()
    {
        var report = new RobustnessReport("",
        [
            new ReportRow("a", 0.9, [new PerturbationResult(PerturbationKind.Pgd, 8 / 255.0, "8/255", 0.4)]),
            new ReportRow("b", 0.9, [new PerturbationResult(PerturbationKind.Pgd, 8 / 255.0, "0.031", 0.5)]),
        ]);

        var column = Assert.Single(report.Columns());
        Assert.Equal("PGD 8/255", column.Header);
        Assert.Equal(0.5, report.Rows[1].Find(column)!.Accuracy);
    }
}
