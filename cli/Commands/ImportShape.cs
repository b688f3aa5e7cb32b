using NfmGen.Cli.Data;
using NfmGen.Models;

namespace NfmGen.Cli.Commands;

/// <summary>
/// The shape options of <c>nfm import</c> (<c>--classes</c>, <c>--channels</c>, <c>--image-size</c>): the network's shape
/// when no dataset is named (a 1000-class ImageNet model has none here), or a check of the named dataset's shape.
/// </summary>
internal sealed record ImportShape(int? Classes, int? Channels, int? ImageSize)
{
    /// <summary>The options as given, each checked on its own.</summary>
    /// <exception cref="ArgumentException">A value below what a network can have.</exception>
    public static ImportShape Of(int? classes, int? channels, int? imageSize)
    {
        if (classes < 2)
            throw new ArgumentException($"--classes must be at least 2 (was {classes})");
        if (channels < 1)
            throw new ArgumentException($"--channels must be at least 1 (was {channels})");
        if (imageSize < 1)
            throw new ArgumentException($"--image-size must be at least 1 pixel (was {imageSize})");
        return new ImportShape(classes, channels, imageSize);
    }

    /// <summary>The spec of <paramref name="model"/> with this shape and no dataset.</summary>
    /// <exception cref="ArgumentException">--classes or --channels is missing.</exception>
    public ModelSpec Spec(ZooModel model, int? width)
    {
        if (Classes is null || Channels is null)
        {
            throw new ArgumentException(
                $"give --dataset ({string.Join(", ", DatasetCatalog.Names)}), or the shape: --classes and --channels (and --image-size for small-convnet)");
        }
        return new ModelSpec(model.Name, width, Dataset: "", DataPath: null, Classes.Value, Channels.Value, ImageSize ?? 0);
    }

    /// <summary>What the run was made for, in place of a dataset's name.</summary>
    public string Describe() =>
        $"no dataset ({Classes} classes, {Channels} input channels{(ImageSize is { } size ? $", {size}x{size} images" : "")})";

    /// <summary>Refuses shape options that contradict <paramref name="spec"/>, made from <paramref name="dataset"/>.</summary>
    /// <exception cref="ArgumentException">Names each contradiction and the dataset's value.</exception>
    public void EnsureAgrees(ModelSpec spec, string dataset)
    {
        var contradictions = new List<string>();
        if (Classes is { } classes && classes != spec.Classes)
            contradictions.Add($"--classes {classes} (it has {spec.Classes})");
        if (Channels is { } channels && channels != spec.InChannels)
            contradictions.Add($"--channels {channels} (it has {spec.InChannels})");
        if (ImageSize is { } size && size != spec.ImageSize)
            contradictions.Add($"--image-size {size} (its images are {spec.ImageSize}x{spec.ImageSize})");
        if (contradictions.Count > 0)
            throw new ArgumentException($"--dataset {dataset} contradicts {string.Join(" and ", contradictions)}; leave those options out or make them agree");
    }
}
