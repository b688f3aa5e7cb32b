using System.Text.Json;
using NfmGen.Reports;
using NfmGen.Tests.Build;

namespace NfmGen.Tests.Reports;

public class ReportJsonTests
{
    [Fact]
    public void A_report_reads_back_equal()
    {
        var report = SampleReports.AllKinds().WithRows(SampleReports.Small().Rows).WithRows(PaperResults.Rows(PaperTable.ImageNetResNet50));

        var read = ReportJson.Deserialize(ReportJson.Serialize(report));

        Assert.Equal(report, read);
        Assert.Equal(report.Columns(), read.Columns());
        Assert.Equal(ReportRenderer.Render(report, ReportFormat.Text), ReportRenderer.Render(read, ReportFormat.Text));
    }

    [Fact]
    public void Save_and_Load_round_trip_through_a_file_in_a_new_folder()
    {
        using var folder = new TempDirectory();
        string path = Path.Combine(folder.Path, "run-3", "robustness.json");
        var report = SampleReports.Small();

        ReportJson.Save(report, path);

        Assert.Equal(report, ReportJson.Load(path));
    }

    [Fact]
    public void The_json_is_readable_camel_case_with_kinds_by_name()
    {
        var report = new RobustnessReport("t", [new ReportRow("NFM", 0.5, [PerturbationResult.CifarCorruption("fog", 3, 0.25)]) { Source = "paper" }]);

        Assert.Equal(
            """
            {
              "title": "t",
              "rows": [
                {
                  "name": "NFM",
                  "cleanAccuracy": 0.5,
                  "results": [
                    {
                      "kind": "CifarCorruption",
                      "level": 3,
                      "label": "fog s3",
                      "accuracy": 0.25,
                      "corruption": "fog"
                    }
                  ],
                  "source": "paper"
                }
              ]
            }
            """.ReplaceLineEndings("\n"), ReportJson.Serialize(report).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Loading_checks_the_values()
    {
        string json = ReportJson.Serialize(SampleReports.Small()).Replace("0.954", "95.4", StringComparison.Ordinal);

        var error = Assert.Throws<ArgumentException>(() => ReportJson.Deserialize(json));

        Assert.Contains("(was 95.4)", error.Message);
    }

    [Fact]
    public void Loading_a_file_with_a_value_out_of_range_names_the_file_and_the_value()
    {
        using var folder = new TempDirectory();
        string path = folder.File("percent.json");
        File.WriteAllText(path, ReportJson.Serialize(SampleReports.Small()).Replace("0.954", "95.4", StringComparison.Ordinal));

        var error = Assert.Throws<JsonException>(() => ReportJson.Load(path));

        Assert.StartsWith($"{path} is not a robustness report: cleanAccuracy must be a fraction in [0, 1]", error.Message);
        Assert.Contains("(was 95.4)", error.Message);
    }

    [Fact]
    public void Loading_a_file_that_is_not_a_report_names_the_file()
    {
        using var folder = new TempDirectory();
        string path = folder.File("broken.json");
        File.WriteAllText(path, "{ \"title\": 3 }");

        var error = Assert.Throws<JsonException>(() => ReportJson.Load(path));

        Assert.StartsWith($"{path} is not a robustness report", error.Message);
    }
}
