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
public sealed record ImageSettings(IReadOnlyList<string> ClassNames, int ImageSize, int Channels, IReadOnlyList<float> Mean, IReadOnlyList<float> Std)
{
    /// <summary>The normalisation.</summary>
    [JsonIgnore]
    public Normalization Normalization => new(Mean, Std);

    /// <summary>The evaluation transform of the run: what <c>nfm eval</c> and <c>nfm predict</c> apply to a file.</summary>
    public ImageTransform EvaluationTransform() => ImageTransform.Evaluation(ImageSize, Normalization, Channels);
}
