using System.CommandLine;
using System.Globalization;
using NfmGen.Cli.Commands;
using NfmGen.Data;
using NfmGen.Data.Images;
using NfmGen.Training;

namespace NfmGen.Cli.Data;

/// <summary>The command line's settings of an image-folder dataset (<c>--dataset folder</c> or <c>imagenet</c>): parsing and the run's record of them.</summary>
internal static class ImageFolderArguments
{
    /// <summary>The forms <c>--normalize</c> accepts.</summary>
    public const string NormalizeSyntax = "imagenet (default), none (mean 0, std 1), or MEAN,...:STD,... with one value per channel (0.5,0.5,0.5:0.25,0.25,0.25)";

    /// <summary>Parses <c>--normalize</c> for <paramref name="channels"/> channels; null for the default (ImageNet's).</summary>
    /// <exception cref="ArgumentException">The text is none of <see cref="NormalizeSyntax"/>, or has the wrong number of values.</exception>
    public static Normalization? ParseNormalize(string? text, int channels)
    {
        if (text is null || text.Equals("imagenet", StringComparison.OrdinalIgnoreCase))
            return null;
        if (text.Equals("none", StringComparison.OrdinalIgnoreCase))
            return new Normalization(Enumerable.Repeat(0f, channels).ToArray(), Enumerable.Repeat(1f, channels).ToArray());
        var parts = text.Split(':');
        if (parts.Length != 2)
            throw new ArgumentException($"--normalize '{text}' is not understood (accepted: {NormalizeSyntax})", "--normalize");
        var mean = Values(parts[0], text);
        var std = Values(parts[1], text);
        if (mean.Length != channels || std.Length != channels)
            throw new ArgumentException($"--normalize '{text}' gives {mean.Length} means and {std.Length} stds; the images have {channels} channels", "--normalize");
        return new Normalization(mean, std);
    }

    /// <summary><c>--max-image-pixels</c>: the decompression-bomb guard of <see cref="ImageFolderOptions.MaxImagePixels"/>.</summary>
    public static Option<long?> MaxImagePixelsOption() => new Option<long?>("--max-image-pixels")
    {
        Description = string.Create(CultureInfo.InvariantCulture,
            $"Image files: refuse one whose header declares more pixels than this, before decoding it (default {ImageFolderOptions.DefaultMaxImagePixels}, PIL's decompression-bomb limit)."),
    }.AtLeast(1);

    /// <summary>The folder options a run was trained with, from its <c>run.json</c> and <c>nfm.json</c>; null for a run on other data.</summary>
    public static ImageFolderOptions? Of(ModelSpec spec, RunManifest manifest) => manifest.Images is { } images
        ? new ImageFolderOptions
        {
            ImageSize = images.ImageSize,
            Channels = images.Channels,
            Normalization = images.Normalization,
            SkipBadImages = spec.SkipBadImages ?? false,
            MaxImagePixels = spec.MaxImagePixels ?? ImageFolderOptions.DefaultMaxImagePixels,
        }
        : null;

    private static float[] Values(string list, string text)
    {
        try
        {
            return list.Split(',').Select(value => float.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();
        }
        catch (FormatException)
        {
            throw new ArgumentException($"--normalize '{text}' holds a value that is not a number (accepted: {NormalizeSyntax})", "--normalize");
        }
    }
}
