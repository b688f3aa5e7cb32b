using System.CommandLine;
using NfmGen.Cli.Commands;
using NfmGen.Cli.Sweeps;
using NfmGen.Reports;
using NfmGen.Reports.Plots;
using NfmGen.Training;

namespace NfmGen.Cli.Sweeps.Commands;

/// <summary><c>nfm sweep report</c>: the sweep's results as mean ± std over seeds, in the paper's layout, and a plot with error bars.</summary>
internal static class SweepReportCommand
{
    public static Command Create()
    {
        var folder = SweepCommand.FolderArgument();
        var paper = new Option<string?>("--paper") { Description = "Add the paper's rows for: cifar10, cifar100 or imagenet." }.OneOf([.. CompareCommand.PaperTables.Keys]);
        var format = new Option<ReportFormat>("--format") { Description = "Text, Markdown, Csv or Json.", DefaultValueFactory = _ => ReportFormat.Text };
        var output = new Option<string?>("--out") { Description = "Write the report to this file in --format, and its plot beside it as .png (default: DIR/report.md, .csv, .json and .png)." };
        var command = new Command("report", "Tasks that differ only in their seed form a group; each cell is the mean ± sample std over the group's finished seeds, "
            + "with n; a group with failed or unfinished seeds says so. Prints the table, writes it and a plot with error bars.")
        {
            folder, paper, format, output,
        };
        command.SetAction(result => CommandErrors.Run(() =>
        {
            var sweep = SweepFolder.Open(result.GetValue(folder)!);
            var report = SweepSummary.Read(sweep, result.GetValue(paper) is { } table ? CompareCommand.PaperTables[table] : null);
            // The tasks' smoothness analyses (nfm sweep analyze), when there are any: their own tables after the text and
            // Markdown reports; CSV and JSON stay one document each (the tables are in DIR/smoothness.md).
            var smoothness = SmoothnessSummary.Render(sweep);
            string Rendered(ReportFormat each) => SeedAveragedRenderer.Render(report, each)
                + (smoothness is not null && each is ReportFormat.Text or ReportFormat.Markdown ? Environment.NewLine + smoothness : "");
            Console.Write(Rendered(result.GetValue(format)));

            var written = new List<string>();
            if (result.GetValue(output) is { } file)
            {
                AtomicFile.WriteText(file, Rendered(result.GetValue(format)));
                written.Add(Path.GetFullPath(file));
            }
            else
            {
                foreach (var (extension, each) in new[] { (".md", ReportFormat.Markdown), (".csv", ReportFormat.Csv), (".json", ReportFormat.Json) })
                {
                    var path = Path.Combine(sweep.Path, "report" + extension);
                    AtomicFile.WriteText(path, Rendered(each));
                    written.Add(path);
                }
            }
            var plotPath = result.GetValue(output) is { } named ? Path.ChangeExtension(Path.GetFullPath(named), ".png") : Path.Combine(sweep.Path, "report.png");
            if (report.Columns.Count > 0 && report.Rows.Any(row => row.Clean is not null))
                written.Add(SeedAveragedPlot.Save(report, plotPath).Path);
            else
                Console.WriteLine("No plot: no run has finished with a perturbation column yet.");
            Console.WriteLine($"Wrote {string.Join(", ", written)}");
            return 0;
        }));
        return command;
    }
}
