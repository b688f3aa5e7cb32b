using System.CommandLine;
using NfmGen.Cli.Commands;
using NfmGen.Data.Images;

namespace NfmGen.Cli.Data;

/// <summary>The options of <c>nfm train</c> that say how an image folder becomes batches, and the <see cref="ImageFolderOptions"/> they give.</summary>
internal sealed class ImageFolderOptionArguments
{
    private static readonly ImageFolderOptions Defaults = new();

    public Option<int?> ImageSize { get; } = new Option<int?>("--image-size")
    {
        Description = $"Image folders: the side of the square input in pixels (default {Defaults.ImageSize}; random-resized crop for training, resize to 256/224 of it and centre crop for evaluation).",
    }.InRange(8, ImageFolderOptions.MaxImageSize);

    public Option<int?> Channels { get; } = new("--channels") { Description = $"Image folders: 3 (RGB, default) or 1 (grey)." };

    public Option<string?> Normalize { get; } = new("--normalize") { Description = $"Image folders: the normalisation, {ImageFolderArguments.NormalizeSyntax}." };

    public Option<bool> SkipBadImages { get; } = new("--skip-bad-images")
    {
        Description = "Image folders: skip truncated or undecodable files and count them in each epoch's line (default: stop with an error naming the file).",
    };

    public Option<long?> MaxImagePixels { get; } = ImageFolderArguments.MaxImagePixelsOption();

    public Option<int?> Workers { get; } = new("--workers") { Description = "Image folders: threads that decode and augment (default: the processor count)." };

    /// <summary>The options, in the order <c>nfm train --help</c> lists them.</summary>
    public IEnumerable<Option> All => [ImageSize, Channels, Normalize, SkipBadImages, MaxImagePixels, Workers];

    /// <summary>The folder options for <paramref name="dataset"/>; null, and none may be given, for other datasets, which fix their own sizes and normalisation.</summary>
    /// <exception cref="ArgumentException">An option is given for a dataset that is not an image folder, or is out of range.</exception>
    public ImageFolderOptions? Parse(ParseResult result, string dataset)
    {
        Option[] given = [.. All.Where(option => result.GetResult(option) is { Implicit: false })];
        if (!DatasetCatalog.IsImageFolder(dataset))
        {
            return given.Length == 0 ? null
                : throw new ArgumentException($"{string.Join(", ", given.Select(option => option.Name))}: only for --dataset folder or imagenet (was {dataset})");
        }
        var channels = result.GetValue(Channels) ?? Defaults.Channels;
        var options = Defaults with
        {
            ImageSize = result.GetValue(ImageSize) ?? Defaults.ImageSize,
            Channels = channels,
            Normalization = ImageFolderArguments.ParseNormalize(result.GetValue(Normalize), channels),
            SkipBadImages = result.GetValue(SkipBadImages),
            MaxImagePixels = result.GetValue(MaxImagePixels) ?? Defaults.MaxImagePixels,
            Workers = result.GetValue(Workers) ?? Defaults.Workers,
        };
        options.Validate();
        return options;
    }
}
