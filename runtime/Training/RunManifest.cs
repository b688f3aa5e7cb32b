using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using NfmGen.Data.Images;
using NfmGen.Data.Tables;

namespace NfmGen.Training;

/// <summary>What a run trains and how: the run folder's <c>run.json</c>, written when the run starts.</summary>
/// <param name="Network">The network's class name (<see cref="NfmNetworkInfo.Name"/>).</param>
/// <param name="ParameterCount">The number of trainable parameters, which tells apart widths of one architecture.</param>
/// <param name="ClassCount">The number of classes of the training data.</param>
/// <param name="TrainData">The training dataset's name.</param>
/// <param name="TestData">The test dataset's name, if any.</param>
/// <param name="Scheme">The training scheme.</param>
/// <param name="Options">The training options.</param>
/// <param name="CreatedUtc">When the run started.</param>
/// <param name="Images">For a run on image files: the class names, input size, channels and normalisation that prediction needs; null otherwise (and in older runs).</param>
/// <param name="Validation">What the run's validation split was drawn from; null without one.</param>
/// <param name="Table">For a run on a CSV file: how its rows were encoded (columns, statistics, classes, files and split); null otherwise.</param>
internal sealed record RunManifest(
    string Network,
    long ParameterCount,
    int ClassCount,
    string TrainData,
    string? TestData,
    TrainingScheme Scheme,
    TrainingOptions Options,
    DateTimeOffset CreatedUtc,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ImageSettings? Images = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ValidationRecord? Validation = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] TableSchema? Table = null)
{
    /// <summary>
    /// Reads a manifest from <paramref name="path"/>. A manifest written before <see cref="TrainingOptions.DropLast"/>
    /// existed reads with <c>DropLast = true</c>, which is what those runs did; one written before mixing methods were a
    /// closed set reads its scheme's <c>mixing</c> and <c>cutMixAlpha</c> as the method they meant (<see cref="TrainingSchemeJson"/>).
    /// </summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not a run manifest, or lacks a field; the message names the file and the field.</exception>
    public static RunManifest Read(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"no run manifest at {path}: not a run folder, or the run never started", path);
        try
        {
            var root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new InvalidDataException($"{path} is not a run manifest: it holds no JSON object");
            RequiredJson.Fields(path, "run manifest", root, "", "network", "parameterCount", "classCount", "trainData", "scheme", "options", "createdUtc");
            var scheme = RequiredJson.Object(path, "run manifest", root, "scheme");
            // Manifests written before mixing methods were a closed set (issue 12) hold "mixing" instead of "method".
            RequiredJson.Fields(path, "run manifest", scheme, "scheme.", "name", scheme.ContainsKey("mixing") ? "mixing" : "method");
            var options = RequiredJson.Object(path, "run manifest", root, "options");
            var manifest = root.Deserialize<RunManifest>(TrainingJson.Options) ?? throw new InvalidDataException($"{path} is empty");
            return options.ContainsKey("dropLast") ? manifest : manifest with { Options = manifest.Options with { DropLast = true } };
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"{path} is not a valid run manifest: {error.Message}", error);
        }
    }

    /// <summary>What differs between this run and a network and data it is resumed with, or null when they match.</summary>
    public string? Mismatch(string network, long parameterCount, int classCount) =>
        new CheckpointHeader(Network, ParameterCount, ClassCount, Scheme, TrainingProgress.Start).Mismatch(network, parameterCount, classCount, Scheme);

    /// <summary>Writes the manifest to <paramref name="path"/> atomically.</summary>
    public void Write(string path) => AtomicFile.WriteText(path, JsonSerializer.Serialize(this, TrainingJson.Options));
}

/// <summary>What a run's validation split was drawn from (<see cref="TrainingOptions.ValidationFraction"/> and the seed say how).</summary>
/// <param name="DrawnFrom">The training data's name, for messages (a folder mounted elsewhere keeps its split).</param>
/// <param name="Samples">Its samples.</param>
/// <param name="Held">Of them, those held out for validation.</param>
/// <param name="Labels">A fingerprint of the data's labels, from which the split is drawn.</param>
internal sealed record ValidationRecord(string DrawnFrom, long Samples, long Held, string Labels)
{
    /// <summary>Whether two records describe the same split, whatever the data's name.</summary>
    public static bool Same(ValidationRecord? first, ValidationRecord? second) =>
        first is null || second is null ? first is null && second is null : (first.Samples, first.Held, first.Labels) == (second.Samples, second.Held, second.Labels);

    /// <inheritdoc />
    public override string ToString() => $"{DrawnFrom} ({Held} of {Samples} samples held out, labels {Labels})";
}
