using System.Text.Json;
using System.Text.Json.Serialization;

namespace NfmGen.Training;

/// <summary>The JSON settings of the run folder's files: readable, camelCase, enums as names.</summary>
internal static class TrainingJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase), new TrainingSchemeJson() },
    };

    /// <summary>The same, on one line (for JSON lines).</summary>
    public static JsonSerializerOptions Compact { get; } = new(Options) { WriteIndented = false };
}
