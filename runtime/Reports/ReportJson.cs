using System.Text.Json;
using System.Text.Json.Serialization;
using NfmGen.Training;
using static System.FormattableString;

namespace NfmGen.Reports;

/// <summary>
/// Saves and loads reports as JSON (camelCase properties, kinds as names such as "WhiteNoise", indented), without
/// reflection: the serializer code is generated. A report read back equals the one written.
/// </summary>
internal static class ReportJson
{
    /// <summary>The report as JSON text.</summary>
    public static string Serialize(RobustnessReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return JsonSerializer.Serialize(report, ReportJsonContext.Default.RobustnessReport);
    }

    /// <summary>Reads a report from JSON text written by <see cref="Serialize"/>.</summary>
    /// <exception cref="JsonException">The text is not a report; the message says where.</exception>
    /// <exception cref="ArgumentException">The report's values are out of range; the message names the value.</exception>
    public static RobustnessReport Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return JsonSerializer.Deserialize(json, ReportJsonContext.Default.RobustnessReport)
            ?? throw new JsonException("a report must be a JSON object (was null)");
    }

    /// <summary>Writes <paramref name="report"/> to <paramref name="path"/> (UTF-8), creating its folder if needed.</summary>
    public static void Save(RobustnessReport report, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
            Directory.CreateDirectory(folder);
        AtomicFile.WriteText(path, Serialize(report));
    }

    /// <summary>Reads the report that <see cref="Save"/> wrote to <paramref name="path"/>.</summary>
    /// <exception cref="JsonException">The file is not a report, or holds values out of range; the message names the file, then the problem.</exception>
    public static RobustnessReport Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string json = File.ReadAllText(path);
        try
        {
            return Deserialize(json);
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            // One exception type for "this file is bad", whichever check caught it, so that a caller reading many run folders can say which.
            throw new JsonException(Invariant($"{path} is not a robustness report: {e.Message}"), e);
        }
    }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    WriteIndented = true,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(RobustnessReport))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
