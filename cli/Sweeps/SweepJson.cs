using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NfmGen.Cli.Sweeps;

/// <summary>How sweep files write command-line options: an object of option names to a value or an array of values.</summary>
internal static partial class SweepJson
{
    /// <summary>Indented, with quotes and '+' written as themselves: the files are read by people.</summary>
    internal static JsonSerializerOptions Indented { get; } = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Reads an object of option names to values (a string, number or boolean, or an array of them); null reads as none.</summary>
    /// <exception cref="FormatException">A value of another kind; the message names it by its path.</exception>
    internal static List<SweepOption> Options(JsonNode? node, string section)
    {
        if (node is null)
            return [];
        if (node is not JsonObject options)
            throw new FormatException($"\"{section}\" must be an object of option names and values");
        return options.Select(option => new SweepOption(option.Key.TrimStart('-'), option.Value switch
        {
            JsonArray values => values.Select((value, i) => Scalar(value, $"{section}.{option.Key}[{i}]")).ToList(),
            var value => [Scalar(value, $"{section}.{option.Key}")],
        })).ToList();
    }

    /// <summary>The text of a string, number or boolean.</summary>
    /// <exception cref="FormatException">Another kind of value; the message names it by <paramref name="where"/>.</exception>
    internal static string Scalar(JsonNode? node, string where) => node switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonValue value when value.GetValueKind() is JsonValueKind.Number => value.ToJsonString(),
        JsonValue value when value.GetValueKind() is JsonValueKind.True or JsonValueKind.False => value.ToJsonString(),
        _ => throw new FormatException($"{where} must be a string, a number or a boolean (was {node?.ToJsonString() ?? "null"})"),
    };

    /// <summary>Writes options as <see cref="Options"/> reads them.</summary>
    internal static JsonObject OptionsNode(IEnumerable<SweepOption> options) => new(options.Select(option =>
        KeyValuePair.Create(option.Name, option.Values.Count == 1 ? ValueNode(option.Values[0]) : new JsonArray(option.Values.Select(ValueNode).ToArray()))));

    // Numbers and booleans are written as JSON numbers and booleans, everything else as strings: the text is kept either way.
    internal static JsonNode? ValueNode(string text) => text switch
    {
        "true" => JsonValue.Create(true),
        "false" => JsonValue.Create(false),
        _ when JsonNumber().IsMatch(text) => JsonNode.Parse(text),
        _ => JsonValue.Create(text),
    };

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$")]
    private static partial Regex JsonNumber();
}
