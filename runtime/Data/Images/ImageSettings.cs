using System.Text.Json.Serialization;

namespace NfmGen.Data.Images;

/// <summary>
/// What a run trained on image files keeps so that its model can be pointed at a picture: the class names (a label
/// is an index into them), the input size, channels and normalisation. In <c>run.json</c> as <c>images</c>
/// (<see cref="Training.RunManifest.Images"/>); absent for runs on CIFAR, IDX or points.
/// </summary>
/// <param name="ClassNames">The training folder's class names, sorted ordinally.</param>
/// <param name="ImageSize">The side of the square input.</param>
/// <param name="Channels">3 (RGB) or 1 (grey).</param>
/// <param name="Mean">The normalisation's mean per channel, on the [0, 1] scale.</param>
/// <param name="Std">The normalisation's standard deviation per channel.</param>
/// <param name="TrainFileCount">How many images the training folder held when the run started; null in runs written before it was kept.</param>
/// <param name="TrainPathsHash">The training folder's <see cref="ImageFolderIndex.PathsHash"/> when the run started; null in runs written before it was kept.</param>
public sealed record ImageSettings(
    IReadOnlyList<string> ClassNames, int ImageSize, int Channels, IReadOnlyList<float> Mean, IReadOnlyList<float> Std,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? TrainFileCount = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TrainPathsHash = null)
{
    /// <summary>The normalisation.</summary>
    [JsonIgnore]
    public Normalization Normalization => new(Mean, Std);

    /// <summary>The evaluation transform of the run: what <c>nfm eval</c> and <c>nfm predict</c> apply to a file.</summary>
    /// <param name="maxPixels">The most pixels a file may declare (<see cref="ImageFolderOptions.DefaultMaxImagePixels"/>).</param>
    internal ImageTransform EvaluationTransform(long maxPixels = ImageFolderOptions.DefaultMaxImagePixels) => ImageTransform.Evaluation(ImageSize, Normalization, Channels, maxPixels);

    /// <summary>
    /// How the training folder <paramref name="train"/> differs from the one the run started on (class names, then the
    /// number of images and their paths, where the run kept them); null when it does not. A resumed run must see the
    /// same files: the order of every epoch is drawn over their indices.
    /// </summary>
    internal string? TrainingFolderMismatch(ImageFolderIndex train)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (!train.ClassNames.SequenceEqual(ClassNames, StringComparer.Ordinal))
        {
            var gone = ClassNames.Except(train.ClassNames, StringComparer.Ordinal).ToArray();
            var added = train.ClassNames.Except(ClassNames, StringComparer.Ordinal).ToArray();
            return $"{train.Root}: its class folders are not the run's {ClassNames.Count} classes"
                + (gone.Length > 0 ? $"; missing now: {string.Join(", ", gone)}" : "")
                + (added.Length > 0 ? $"; new: {string.Join(", ", added)}" : "");
        }
        if (TrainFileCount is { } count && count != train.Files.Count)
            return $"{train.Root}: holds {train.Files.Count} images, the run started on {count} (files were {(train.Files.Count > count ? "added" : "removed")})";
        if (TrainPathsHash is { } hash && hash != train.PathsHash)
            return $"{train.Root}: holds {train.Files.Count} images as when the run started, but not the same files (renamed, moved or replaced)";
        return null;
    }
}
