using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NfmGen.Training;

/// <summary>
/// The epochs' metrics as CSV: a header of the JSON log's field names, then one row per epoch, numbers in the invariant
/// culture with full precision, an empty cell where an epoch has no value. The columns are the log's own fields, so the
/// two files cannot disagree.
/// </summary>
internal static class MetricsTable
{
    /// <summary>The CSV text of <paramref name="epochs"/>.</summary>
    public static string Csv(IReadOnlyList<EpochMetrics> epochs)
    {
        var rows = epochs.Select(epoch => JsonSerializer.SerializeToNode(epoch, TrainingJson.Compact)!.AsObject()).ToList();
        var columns = rows.SelectMany(row => row.Select(field => field.Key)).Distinct().ToList();
        var text = new StringBuilder().AppendJoin(',', columns).Append('\n');
        foreach (var row in rows)
            text.AppendJoin(',', columns.Select(column => Cell(row[column]))).Append('\n');
        return text.ToString();
    }

    private static string Cell(JsonNode? value) => value?.GetValueKind() switch
    {
        JsonValueKind.Number => value.GetValue<double>().ToString("R", CultureInfo.InvariantCulture),
        null or JsonValueKind.Null => "",
        _ => value.ToJsonString(),
    };
}
