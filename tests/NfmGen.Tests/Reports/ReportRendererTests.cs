using NfmGen.Reports;

namespace NfmGen.Tests.Reports;

public class ReportRendererTests
{
    [Fact]
    public void Text_aligns_the_columns_and_marks_the_best_value_of_each()
    {
        string text = ReportRenderer.Render(SampleReports.Small(), ReportFormat.Text);

        Assert.Equal(
            """
            CIFAR-10, toy
            Scheme         Clean   σ 0.1   σ 0.2   γ 0.02   FGSM 8/255
            -------------  ------  ------  ------  -------  -----------
            ERM             94.6    90.4    76.7        -         30.0*
            NFM             95.4*   95.0*      -     91.9*           -
            Mixup [run-2]   95.4*      -    85.4*       -            -
            * best in column

            """.ReplaceLineEndings("\n"), text);
    }

    [Fact]
    public void Markdown_is_a_table_with_the_best_values_bold()
    {
        string markdown = ReportRenderer.Render(SampleReports.Small(), ReportFormat.Markdown);

        Assert.Equal(
            """
            **CIFAR-10, toy**

            | Scheme | Clean | σ 0.1 | σ 0.2 | γ 0.02 | FGSM 8/255 |
            | :--- | ---: | ---: | ---: | ---: | ---: |
            | ERM | 94.6 | 90.4 | 76.7 | - | **30.0** |
            | NFM | **95.4** | **95.0** | - | **91.9** | - |
            | Mixup [run-2] | **95.4** | - | **85.4** | - | - |

            """.ReplaceLineEndings("\n"), markdown);
    }

    [Fact]
    public void Csv_has_a_header_row_one_line_per_row_and_empty_missing_fields()
    {
        string csv = ReportRenderer.Render(SampleReports.Small(), ReportFormat.Csv);

        Assert.Equal(
            """
            Scheme,Source,Clean,σ 0.1,σ 0.2,γ 0.02,FGSM 8/255
            ERM,,94.6,90.4,76.7,,30.0
            NFM,,95.4,95.0,,91.9,
            Mixup,run-2,95.4,,85.4,,

            """.ReplaceLineEndings("\n"), csv);
    }

    [Fact]
    public void Csv_quotes_fields_with_commas_and_quotes()
    {
        var report = new RobustnessReport("", [new ReportRow("NFM, \"k=1\"", 0.5, [])]);

        Assert.Equal("Scheme,Source,Clean\n\"NFM, \"\"k=1\"\"\",,50.0\n", ReportRenderer.Render(report, ReportFormat.Csv));
    }

    [Fact]
    public void Markdown_escapes_pipes_and_omits_an_empty_title()
    {
        var report = new RobustnessReport("", [new ReportRow("a|b", 1, [])]);

        Assert.Equal("| Scheme | Clean |\n| :--- | ---: |\n| a\\|b | **100.0** |\n", ReportRenderer.Render(report, ReportFormat.Markdown));
    }

    [Fact]
    public void Values_round_to_one_decimal_half_away_from_zero_in_every_culture()
    {
        var previous = Thread.CurrentThread.CurrentCulture;
        Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
        try
        {
            var report = new RobustnessReport("", [new ReportRow("r", 0.12345, [PerturbationResult.WhiteNoise(0.25, 0.0)])]);

            Assert.Equal("Scheme,Source,Clean,σ 0.25\nr,,12.3,0.0\n", ReportRenderer.Render(report, ReportFormat.Csv));
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Columns_follow_kind_then_corruption_then_level()
    {
        string[] headers = SampleReports.AllKinds().Columns().Select(column => column.Header).ToArray();

        Assert.Equal(
        [
            "σ 0.1", "σ 0.2", "σ 0.3", "γ 0.02", "γ 0.04", "γ 0.1",
            "FGSM 2/255", "FGSM 4/255", "FGSM 8/255", "PGD 2/255", "PGD 4/255", "PGD 8/255",
            "gaussian_noise s1", "gaussian_noise s2", "gaussian_noise s3", "gaussian_noise s4", "gaussian_noise s5",
            "fog s1", "fog s2", "fog s3", "fog s4", "fog s5",
            "mean", "mean s1", "mean s2", "mean s3", "mean s4", "mean s5",
        ], headers);
    }

    [Fact]
    public void Json_format_is_the_report_json()
    {
        var report = SampleReports.Small();

        Assert.Equal(ReportJson.Serialize(report), ReportRenderer.Render(report, ReportFormat.Json));
    }

    [Fact]
    public void An_unknown_format_is_named()
    {
        var error = Assert.Throws<ArgumentException>(() => ReportRenderer.Render(SampleReports.Small(), (ReportFormat)9));

        Assert.StartsWith("format must be a ReportFormat value (was 9)", error.Message);
    }
}
