using System.Globalization;
using System.Text;
using System.Text.Json;

namespace NfmGen.Prediction;

/// <summary>Writes predictions for a reader (text) or a program (JSON). Lines end with '\n'.</summary>
internal static class PredictionWriter
{
    /// <summary>
    /// Per file its path, then one line per class: the probability as a percentage with two decimals, the name and
    /// the index, e.g. <c>"   87.31%  cat (3)"</c>; a skipped file's line says why.
    /// </summary>
    public static string Text(IReadOnlyList<ImagePrediction> predictions)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        var text = new StringBuilder();
        foreach (var prediction in predictions)
        {
            text.Append(prediction.Path).Append('\n');
            if (prediction.Error is { } error)
                text.Append("  skipped: ").Append(error).Append('\n');
            foreach (var top in prediction.Top)
            {
                string percent = (top.Probability * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%";
                text.Append(percent.PadLeft(9)).Append("  ").Append(top.Name)
                    .Append(" (").Append(top.Index.ToString(CultureInfo.InvariantCulture)).Append(")\n");
            }
        }
        return text.ToString();
    }

    /// <summary>
    /// <c>{"note": ..., "predictions": [{"file": ..., "top": [{"class": name, "index": i, "probability": p}, ...]}, ...]}</c>,
    /// most probable class first; a skipped file has <c>"error"</c> instead of <c>"top"</c>; <c>"note"</c> only when given.
    /// </summary>
    public static string Json(IReadOnlyList<ImagePrediction> predictions, string? note = null)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            if (note is not null)
                json.WriteString("note", note);
            json.WriteStartArray("predictions");
            foreach (var prediction in predictions)
            {
                json.WriteStartObject();
                json.WriteString("file", prediction.Path);
                if (prediction.Error is { } error)
                {
                    json.WriteString("error", error);
                }
                else
                {
                    json.WriteStartArray("top");
                    foreach (var top in prediction.Top)
                    {
                        json.WriteStartObject();
                        json.WriteString("class", top.Name);
                        json.WriteNumber("index", top.Index);
                        json.WriteNumber("probability", top.Probability);
                        json.WriteEndObject();
                    }
                    json.WriteEndArray();
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
    }
}
