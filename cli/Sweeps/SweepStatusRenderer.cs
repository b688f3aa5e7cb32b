using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using static System.FormattableString;

namespace NfmGen.Cli.Sweeps;

/// <summary>
/// Writes a <see cref="SweepStatus"/> as <c>nfm sweep status</c> prints it: as text (one line per task, the totals and
/// the estimate of the work left) or as JSON (the same facts, accuracies as fractions in [0, 1]).
/// </summary>
internal static class SweepStatusRenderer
{
    /// <summary>What the estimate says before any epoch has finished.</summary>
    public const string NothingMeasured = "no epoch measured yet";

    /// <summary>A table of the tasks (index, condition, epochs, last test accuracy, requeues, the varying values, the error of a failed one), the totals, and the work left.</summary>
    public static string Text(SweepStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        string[] header = ["task", "state", "epoch", "test acc", "requeued", "values"];
        string[][] rows = [.. status.Tasks.Select(task => (string[])[
            status.Sweep.Number(task.Task.Index),
            Name(task.Condition),
            Invariant($"{task.EpochsDone}/{task.Epochs}"),
            task.TestAccuracy is { } accuracy ? (accuracy * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "-",
            task.Restarts.ToString(CultureInfo.InvariantCulture),
            task.Task.Describe() + (task.Error is { } error ? "  error: " + error : "") + (task.Scheduler is { } job ? "  slurm: " + job : ""),
        ])];
        int[] widths = [.. header.Select((h, c) => c == header.Length - 1 ? 0 : rows.Select(row => row[c].Length).Append(h.Length).Max())];
        string Line(string[] cells) => string.Join("  ", cells.Select((cell, c) => c is 2 or 3 or 4 ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c]))).TrimEnd();

        var text = new StringBuilder();
        text.Append(Invariant($"Sweep {status.Sweep.Path}: {status.Tasks.Count} tasks\n"));
        if (status.SchedulerUnavailable is { } why)
            text.Append($"Could not ask Slurm ({why}): the states are the folder's, which cannot tell a job that is gone.\n");
        text.Append(Line(header)).Append('\n');
        foreach (var row in rows)
            text.Append(Line(row)).Append('\n');
        text.Append("Totals: ").Append(string.Join(", ", status.Totals.Select(total => Invariant($"{total.Value} {Name(total.Key)}")))).Append('\n');
        text.Append(WorkLeft(status)).Append('\n');
        return text.ToString();
    }

    /// <summary>The status as indented JSON: the sweep, per task its facts, the totals and the estimate (null when nothing was measured).</summary>
    public static string Json(SweepStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var root = new JsonObject
        {
            ["sweep"] = status.Sweep.Path,
            ["schedulerUnavailable"] = status.SchedulerUnavailable,
            ["tasks"] = new JsonArray([.. status.Tasks.Select(task => (JsonNode)new JsonObject
            {
                ["index"] = task.Task.Index,
                ["values"] = new JsonObject(task.Task.Varying.Select(value => KeyValuePair.Create(value.Name, (JsonNode?)value.Values[^1]))),
                ["state"] = Name(task.Condition),
                ["restarts"] = task.Restarts,
                ["epoch"] = task.EpochsDone,
                ["epochs"] = task.Epochs,
                ["testAccuracy"] = task.TestAccuracy,
                ["error"] = task.Error,
                ["scheduler"] = task.Scheduler is { } job ? new JsonObject { ["state"] = job.State, ["reason"] = job.Reason, ["source"] = job.Source } : null,
                ["run"] = status.Sweep.RunFolder(task.Task.Index).Path,
            })]),
            ["totals"] = new JsonObject(status.Totals.Select(total => KeyValuePair.Create(Name(total.Key), (JsonNode?)total.Value))),
            ["epochsLeft"] = status.EpochsLeft,
            ["secondsPerEpoch"] = status.SecondsPerEpoch,
            ["secondsLeft"] = status.SecondsLeft,
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>"Work left: 12 epochs x 3.5 s per epoch (mean of 8 finished epochs) = about 42 s, one task at a time", or says nothing was measured.</summary>
    public static string WorkLeft(SweepStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (status.EpochsLeft == 0)
            return "Work left: none; every task is done.";
        if (status.SecondsPerEpoch is not { } perEpoch)
            return Invariant($"Work left: {status.EpochsLeft} epochs; {NothingMeasured}, so no time estimate.");
        return Invariant($"Work left: {status.EpochsLeft} epochs x {Duration(perEpoch)} per epoch (mean of {status.EpochsMeasured} finished epochs) = about {Duration(status.SecondsLeft!.Value)}, one task at a time (training only; an estimate).");
    }

    /// <summary>The condition as the status shows it: "pending", "interrupted"...</summary>
    public static string Name(TaskCondition condition) => condition.ToString().ToLowerInvariant();

    /// <summary>Seconds as a person reads them: "4.2 s", "12 min", "3 h 20 min", "2 d 5 h".</summary>
    public static string Duration(double seconds)
    {
        if (seconds < 59.95)
            return Invariant($"{seconds:0.0} s");
        long minutes = (long)Math.Round(seconds / 60);
        if (minutes < 60)
            return Invariant($"{minutes} min");
        if (minutes < 24 * 60)
            return Invariant($"{minutes / 60} h {minutes % 60} min");
        long hours = (long)Math.Round(seconds / 3600);
        return Invariant($"{hours / 24} d {hours % 24} h");
    }
}
