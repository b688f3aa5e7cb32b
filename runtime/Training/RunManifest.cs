using System.Text.Json;

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
public sealed record RunManifest(
    string Network,
    long ParameterCount,
    int ClassCount,
    string TrainData,
    string? TestData,
    TrainingScheme Scheme,
    TrainingOptions Options,
    DateTimeOffset CreatedUtc)
{
    /// <summary>Reads a manifest from <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a run manifest.</exception>
    public static RunManifest Read(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"no run manifest at {path}: not a run folder, or the run never started", path);
        try
        {
            return JsonSerializer.Deserialize<RunManifest>(File.ReadAllText(path), TrainingJson.Options)
                ?? throw new InvalidDataException($"{path} is empty");
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
