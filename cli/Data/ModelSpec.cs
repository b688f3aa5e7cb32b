using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using NfmGen.Data;
using NfmGen.Data.Images;
using NfmGen.Models;
using NfmGen.Training;
using static TorchSharp.torch;

namespace NfmGen.Cli.Data;

/// <summary>
/// What the command line needs to rebuild a run's network and data: the run folder's <c>nfm.json</c>
/// (<see cref="RunFolder.ModelSpecPath"/>), beside the trainer's own <c>run.json</c>.
/// </summary>
/// <remarks>
/// <see cref="SkipBadImages"/>: for image folders, whether bad files are skipped (null in older files: no).
/// <see cref="MaxImagePixels"/>: for image folders, the pixel limit of a file when it is not the default (null: the default).
/// </remarks>
internal sealed record ModelSpec(string Model, int? Width, string Dataset, string? DataPath, int Classes, int InChannels, int ImageSize,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? SkipBadImages = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? MaxImagePixels = null)
{
    private const string Kind = "model spec ('nfm train' writes it)";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>
    /// The spec for training <paramref name="model"/> on <paramref name="data"/>, read with <paramref name="images"/>
    /// when it is an image folder (its decoding options are kept; <see cref="ImageSize"/> 0 means samples that are not images).
    /// </summary>
    public static ModelSpec For(ZooModel model, int? width, string dataset, string? dataPath, LabeledDataset data, ImageFolderOptions? images = null)
    {
        var shape = data.InputShape;
        return new(model.Name, width, dataset, dataPath, data.ClassCount, (int)shape[0], shape.Length == 3 ? (int)shape[1] : 0,
            images?.SkipBadImages == true ? true : null,
            images is { MaxImagePixels: var pixels } && pixels != ImageFolderOptions.DefaultMaxImagePixels ? pixels : null);
    }

    public INfmNetwork CreateNetwork() => ModelZoo.Find(Model).Create(new ModelShape(Classes, InChannels, ImageSize, Width));

    public void Save(RunFolder folder) => AtomicFile.WriteText(folder.ModelSpecPath, JsonSerializer.Serialize(this, Json));

    /// <exception cref="FileNotFoundException">The folder was not made by <c>nfm train</c>.</exception>
    /// <exception cref="InvalidDataException">The file is not a model spec, or lacks a field; the message names the file and the field.</exception>
    public static ModelSpec Load(string runFolder)
    {
        var path = new RunFolder(runFolder).ModelSpecPath;
        if (!File.Exists(path))
            throw new FileNotFoundException($"{runFolder} has no {RunFolder.ModelSpecFileName}: it is not a run folder made by 'nfm train'", path);
        try
        {
            var root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new InvalidDataException($"{path} is not a {Kind}: it holds no JSON object");
            RequiredJson.Fields(path, Kind, root, "", "model", "dataset", "classes", "inChannels", "imageSize");
            return root.Deserialize<ModelSpec>(Json) ?? throw new InvalidDataException($"{path} is empty");
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"{path} is not a valid {Kind}: {error.Message}", error);
        }
    }
}
