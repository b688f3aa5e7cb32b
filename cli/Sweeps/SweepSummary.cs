using System.Text.Json;
using NfmGen.Randomness;
using NfmGen.Reports;
using static System.FormattableString;

namespace NfmGen.Cli.Sweeps;

/// <summary>
/// Reads a sweep's results into a <see cref="SeedAveragedReport"/>: one row per <see cref="SeedGroup"/>, each cell the
/// mean ± sample standard deviation over the group's finished seeds (the tasks that are done and have a report), with
/// the group's seed count and why any seed is missing. A group with missing seeds is marked, never presented as complete.
/// </summary>
internal static class SweepSummary
{
    /// <summary>Why a finished task's seed is missing when its report file is not there.</summary>
    public const string WithoutReport = "without report";

    /// <summary>Why a finished task's seed is missing when its report file cannot be read.</summary>
    public const string DamagedReport = "with a damaged report";

    // Missing seeds are listed in this order: what needs the user's attention first.
    private static readonly TaskCondition[] MissingOrder =
        [TaskCondition.Failed, TaskCondition.Interrupted, TaskCondition.Lost, TaskCondition.Stopped, TaskCondition.Running, TaskCondition.Pending];

    /// <summary>
    /// The report of <paramref name="sweep"/>. Its columns are the clean accuracy and the perturbation columns that every
    /// finished run's <c>report.json</c> has (a note names any left out); with <paramref name="paper"/>, the paper's rows
    /// follow the sweep's, with their values in those columns.
    /// </summary>
    /// <exception cref="InvalidDataException">A task record or metrics log is damaged; the message names the file.</exception>
    public static SeedAveragedReport Read(SweepFolder sweep, PaperTable? paper = null)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        var status = SweepStatus.Read(sweep);
        var notes = new List<string>();
        var rows = new Dictionary<int, ReportRow>();
        var unreadable = new Dictionary<int, string>();
        string? title = null;
        foreach (var task in status.Tasks.Where(task => task.Condition is TaskCondition.Done or TaskCondition.Unevaluated))
        {
            var path = sweep.RunFolder(task.Task.Index).ReportPath;
            if (!File.Exists(path))
            {
                unreadable[task.Task.Index] = WithoutReport;
                notes.Add(Invariant($"task {task.Task.Index} ({task.Task.Describe()}) is done but has no {path}: evaluate it again with nfm sweep run"));
                continue;
            }
            try
            {
                var report = ReportJson.Load(path);
                if (report.Rows.Count == 0)
                    throw new JsonException($"{path} has no row");
                rows[task.Task.Index] = report.Rows[0];
                title ??= report.Title;
            }
            catch (Exception error) when (error is JsonException or IOException)
            {
                unreadable[task.Task.Index] = DamagedReport;
                notes.Add(Invariant($"task {task.Task.Index} ({task.Task.Describe()}): {error.Message}"));
            }
        }

        var paperRows = paper is { } table ? PaperResults.Rows(table) : [];
        var columns = Columns(rows.Values.ToList(), paperRows, notes);
        var progress = status.Tasks.ToDictionary(task => task.Task.Index);
        var groupRows = SeedGroups.Of(sweep.Definition).Select(group =>
        {
            var finished = group.Tasks.Where(task => rows.ContainsKey(task.Index)).Select(task => rows[task.Index]).ToList();
            var missing = MissingOrder
                .Select(condition => KeyValuePair.Create(SweepStatusRenderer.Name(condition), group.Tasks.Count(task => progress[task.Index].Condition == condition)))
                .Concat(new[] { WithoutReport, DamagedReport }.Select(reason => KeyValuePair.Create(reason, group.Tasks.Count(task => unreadable.GetValueOrDefault(task.Index) == reason))))
                .Where(reason => reason.Value > 0)
                .ToList();
            return new SeedAveragedRow(
                group.Name,
                finished.Count == 0 ? null : Spread.Of([.. finished.Select(row => row.CleanAccuracy)]),
                [.. columns.Select(column => finished.Count == 0 ? (Spread?)null : Spread.Of([.. finished.Select(row => row.Find(column)!.Accuracy)]))])
            {
                Seeds = new SeedCount(finished.Count, group.Tasks.Count, missing),
            };
        });
        var name = Path.GetFileName(sweep.Path);
        return new SeedAveragedReport(
            title is null ? Invariant($"Sweep {name}: mean ± std over seeds") : Invariant($"{title} (sweep {name}): mean ± std over seeds"),
            columns,
            [.. groupRows, .. paperRows.Select(row => SeedAveragedRow.Published(row, columns))],
            notes);
    }

    /// <summary>The columns every finished run has; the paper's when no run has finished.</summary>
    private static IReadOnlyList<ReportColumn> Columns(IReadOnlyList<ReportRow> rows, IReadOnlyList<ReportRow> paperRows, List<string> notes)
    {
        if (rows.Count == 0)
            return new RobustnessReport("", paperRows).Columns();
        var all = new RobustnessReport("", rows).Columns();
        foreach (var column in all.Where(column => !rows.All(row => row.Find(column) is not null)))
            notes.Add(Invariant($"column {column.Header} left out: only {rows.Count(row => row.Find(column) is not null)} of the {rows.Count} finished runs were evaluated there"));
        return [.. all.Where(column => rows.All(row => row.Find(column) is not null))];
    }
}
