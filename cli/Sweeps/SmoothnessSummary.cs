using System.Globalization;
using System.Text;
using System.Text.Json;
using NfmGen.Analysis;
using NfmGen.Reports;
using NfmGen.Training;
using static System.FormattableString;

namespace NfmGen.Cli.Sweeps;

/// <summary>
/// The smoothness analyses of a sweep's tasks (<c>run/analysis.json</c>, written by <c>nfm sweep analyze</c>) as mean ±
/// sample std over each group's seeds, per mix point and measure: the table <c>nfm sweep analyze</c> and
/// <c>nfm sweep report</c> print.
/// </summary>
internal static class SmoothnessSummary
{
    /// <summary>The file of a run's analysis, in its run folder.</summary>
    public const string FileName = "analysis.json";

    /// <summary>The analysis of task <paramref name="index"/>, or null when it has none.</summary>
    /// <exception cref="InvalidDataException">The file is damaged; the message names it.</exception>
    public static SmoothnessReport? Read(SweepFolder sweep, int index)
    {
        var path = Path.Combine(sweep.RunFolder(index).Path, FileName);
        if (!File.Exists(path))
            return null;
        try
        {
            return JsonSerializer.Deserialize<SmoothnessReport>(File.ReadAllText(path), TrainingJson.Options)
                ?? throw new JsonException("the file holds null");
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"{path} is not an analysis written by nfm sweep analyze ({error.Message}); run nfm sweep analyze --again", error);
        }
    }

    /// <summary>
    /// The tables over the groups with analyses, as Markdown, as trained and temperature-scaled: one row per group and
    /// mix point, each measure's mean over points averaged over the seeds (± their std, n), then T; null when no task has
    /// an analysis.
    /// </summary>
    public static string? Render(SweepFolder sweep)
    {
        var analyses = Enumerable.Range(0, sweep.Definition.TaskCount).Select(index => (Index: index, Report: Read(sweep, index)))
            .Where(task => task.Report is not null).ToDictionary(task => task.Index, task => task.Report!);
        if (analyses.Count == 0)
            return null;
        var measures = Enum.GetValues<SmoothnessMeasure>();
        var text = new StringBuilder();
        foreach (var (title, pick) in new (string, Func<MixPointSmoothness, IReadOnlyDictionary<SmoothnessMeasure, SmoothnessEstimate>>)[]
                 {
                     ("as trained", point => point.Measures),
                     ("logits / T (each task's T, fitted on half of its points, measured on the other half)", point => point.TemperatureScaled),
                 })
        {
            text.AppendLine(Invariant($"Smoothness (nfm sweep analyze), {title}: each measure's mean over test points, mean ± std over seeds"));
            text.AppendLine();
            text.AppendLine("| Group | k | layer | " + string.Join(" | ", measures.Select(measure => SmoothnessRenderer.Headers[measure])) + " | T | Seeds |");
            text.AppendLine("| :--- | ---: | :--- |" + string.Concat(measures.Select(_ => " ---: |")) + " ---: | :--- |");
            foreach (var group in SeedGroups.Of(sweep.Definition))
            {
                var reports = group.Tasks.Where(task => analyses.ContainsKey(task.Index)).Select(task => analyses[task.Index]).ToList();
                if (reports.Count == 0)
                    continue;
                foreach (var point in reports[0].MixPoints)
                {
                    var atPoint = reports.Select(report => report.MixPoints.FirstOrDefault(other => other.MixPoint == point.MixPoint)).OfType<MixPointSmoothness>().ToList();
                    var cells = measures.Select(measure => Format(Spread.Of([.. atPoint.Select(other => pick(other)[measure].Mean)])));
                    text.AppendLine(Invariant($"| {group.Name} | {point.MixPoint} | {point.Layer} | {string.Join(" | ", cells)} | {Format(Spread.Of([.. reports.Select(report => report.Temperature)]))} | n={atPoint.Count} of {group.Tasks.Count} |"));
                }
            }
            text.AppendLine();
        }
        return text.ToString();
    }

    private static string Format(Spread spread) =>
        spread.StandardDeviation is { } deviation ? Invariant($"{Significant(spread.Mean)} ± {Significant(deviation)}") : Significant(spread.Mean);

    private static string Significant(double value) => value.ToString("G3", CultureInfo.InvariantCulture);
}
