using System.Text.Json;
using NfmGen.Data;
using NfmGen.Models;
using static TorchSharp.torch;

namespace NfmGen.Cli.Data;

/// <summary>
/// What the command line needs to rebuild a run's network and data: the run folder's <c>nfm.json</c>, beside the
/// trainer's own <c>run.json</c>.
/// </summary>
internal sealed record ModelSpec(string Model, int? Width, string Dataset, string? DataPath, int Classes, int InChannels, int ImageSize)
{
    private const string FileName = "nfm.json";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>The spec for training <paramref name="model"/> on <paramref name="data"/>.</summary>
    public static ModelSpec For(ZooModel model, int? width, string dataset, string? dataPath, LabeledDataset data) => data switch
    {
        ImageDataset images => new(model.Name, width, dataset, dataPath, data.ClassCount, (int)images.ImageShape[0], (int)images.ImageShape[1]),
        FeatureDataset features => new(model.Name, width, dataset, dataPath, data.ClassCount, (int)features.Features.shape[1], 0),
        _ => throw new ArgumentException($"unsupported dataset type {data.GetType().Name}"),
    };

    public nn.Module<Tensor, Tensor> CreateNetwork() => ModelZoo.Find(Model).Create(new ModelShape(Classes, InChannels, ImageSize, Width));

    public void Save(string runFolder) => Training.AtomicFile.WriteText(Path.Combine(runFolder, FileName), JsonSerializer.Serialize(this, Json));

    /// <exception cref="FileNotFoundException">The folder was not made by <c>nfm train</c>.</exception>
    public static ModelSpec Load(string runFolder)
    {
        var path = Path.Combine(runFolder, FileName);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{runFolder} has no {FileName}: it is not a run folder made by 'nfm train'", path);
        return JsonSerializer.Deserialize<ModelSpec>(File.ReadAllText(path), Json)
            ?? throw new InvalidDataException($"{path} is empty");
    }
}
