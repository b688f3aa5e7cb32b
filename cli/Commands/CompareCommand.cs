using System.CommandLine;
using NfmGen.Cli.Data;
using NfmGen.Reports;
using NfmGen.Reports.Plots;
using NfmGen.Training;

namespace NfmGen.Cli.Commands;

/// <summary><c>nfm compare</c>: the reports of several run folders side by side, in the paper's layout.</summary>
internal static class CompareCommand
{
    internal static readonly Dictionary<string, PaperTable> PaperTables = new(StringComparer.OrdinalIgnoreCase)
    {
        ["cifar10"] = PaperTable.Cifar10PreActResNet18,
        ["cifar100"] = PaperTable.Cifar100WideResNet18,
        ["imagenet"] = PaperTable.ImageNetResNet50,
    };

    public static Command Create()
    {
        var runs = new Argument<string[]>("runs") { Description = "Run folders evaluated with 'nfm eval' (or report.json files).", Arity = ArgumentArity.OneOrMore };
        var paper = new Option<string?>("--paper") { Description = "Add the paper's rows for: cifar10, cifar100 or imagenet." }.OneOf([.. PaperTables.Keys]);
        var format = new Option<ReportFormat>("--format") { Description = "Text, Markdown, Csv or Json.", DefaultValueFactory = _ => ReportFormat.Text };
        var output = new Option<string?>("--out") { Description = "Also write the comparison to this file, and its plot beside it as .png." };
        var command = new Command("compare", "Put the robustness reports of several runs side by side in the paper's layout.") { runs, paper, format, output };
        command.SetAction(result => CommandErrors.Run(() =>
        {
            var rows = new List<ReportRow>();
            foreach (var run in result.GetValue(runs)!)
            {
                var path = Directory.Exists(run) ? new RunFolder(run).ReportPath : run;
                if (!File.Exists(path))
                    throw new FileNotFoundException($"{path} not found: evaluate the run first with 'nfm eval --run {run}'", path);
                var source = Path.GetFileName(Path.GetFullPath(Directory.Exists(run) ? run : Path.GetDirectoryName(path)!));
                rows.AddRange(ReportJson.Load(path).Rows.Select(row => row with { Source = row.Source ?? source }));
            }
            if (result.GetValue(paper) is { } table)
                rows.AddRange(PaperResults.Rows(PaperTables[table]));

            var report = new RobustnessReport("Robustness comparison", rows);
            var text = ReportRenderer.Render(report, result.GetValue(format));
            Console.WriteLine(text);
            if (result.GetValue(output) is { } file)
            {
                AtomicFile.WriteText(file, text);
                var plot = AccuracyCurvePlot.Save(report, Path.ChangeExtension(file, ".png"));
                Console.WriteLine($"Wrote {Path.GetFullPath(file)} and {plot.Path}");
            }
            return 0;
        }));
        return command;
    }
}
