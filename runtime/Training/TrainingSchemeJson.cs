using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using NfmGen.Data.Augmentation;
using NfmGen.Mixing;

namespace NfmGen.Training;

/// <summary>
/// A <see cref="TrainingScheme"/> in run.json and checkpoint headers: <c>{"name", "method": {"kind", ...}, "labelSmoothing"}</c>,
/// and <c>"augMix": {...}</c> for a scheme with AugMix's views (absent otherwise, as before AugMix).
/// Also reads the shape written before mixing methods were a closed set (issue 12): <c>"mixing"</c> (NFM's options)
/// with a <c>"cutMixAlpha"</c> that, when set, made the scheme CutMix instead.
/// </summary>
internal sealed class TrainingSchemeJson : JsonConverter<TrainingScheme>
{
    public override TrainingScheme Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var scheme = JsonNode.Parse(ref reader) as JsonObject ?? throw new JsonException("a training scheme must be a JSON object");
        var name = scheme["name"]?.GetValue<string>() ?? throw new JsonException("the training scheme has no name");
        var smoothing = scheme["labelSmoothing"]?.GetValue<double>() ?? 0;
        var augMix = scheme["augMix"]?.Deserialize<AugMixOptions>(options);
        return new TrainingScheme(name, ReadMethod(scheme, options), smoothing) { AugMix = augMix };
    }

    public override void Write(Utf8JsonWriter writer, TrainingScheme value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("name", value.Name);
        writer.WritePropertyName("method");
        JsonSerializer.Serialize(writer, value.Method, options);
        writer.WriteNumber("labelSmoothing", value.LabelSmoothing);
        if (value.AugMix is { } augMix)
        {
            writer.WritePropertyName("augMix");
            JsonSerializer.Serialize(writer, augMix, options);
        }
        writer.WriteEndObject();
    }

    private static MixingMethod ReadMethod(JsonObject scheme, JsonSerializerOptions options)
    {
        if (scheme["method"] is { } method)
            return method.Deserialize<MixingMethod>(options) ?? throw new JsonException("the training scheme's method is null");
        // The shape before issue 12.
        if (scheme["cutMixAlpha"] is { } alpha && alpha.GetValueKind() == JsonValueKind.Number)
            return new CutMixMethod(alpha.GetValue<double>());
        if (scheme["mixing"] is { } mixing)
            return new NfmMethod(mixing.Deserialize<NfmOptions>(options) ?? throw new JsonException("the training scheme's mixing is null"));
        throw new JsonException("the training scheme has no method (nor the mixing of older run folders)");
    }
}
