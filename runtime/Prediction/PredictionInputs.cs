using NfmGen.Data;
using NfmGen.Data.Images;
using static TorchSharp.torch;

namespace NfmGen.Prediction;

/// <summary>How an image file becomes the input of a run's network for <see cref="ImagePredictor"/>.</summary>
public static class PredictionInputs
{
    /// <summary>
    /// A run trained on image files: its evaluation transform (resize the short side to 256/224 of the size, centre
    /// crop, normalise), with a JPEG decoded at the smallest scale that keeps the resized size.
    /// </summary>
    /// <param name="settings">The run's image settings (its <c>run.json</c>'s <c>images</c>).</param>
    /// <param name="maxPixels">The most pixels a file may declare (<see cref="ImageFolderOptions.DefaultMaxImagePixels"/>).</param>
    public static Func<string, Tensor> Evaluation(ImageSettings settings, long maxPixels = ImageFolderOptions.DefaultMaxImagePixels)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Evaluation(settings.EvaluationTransform(maxPixels));
    }

    /// <exception cref="ArgumentException"><paramref name="transform"/> is the training transform.</exception>
    internal static Func<string, Tensor> Evaluation(ImageTransform transform)
    {
        ArgumentNullException.ThrowIfNull(transform);
        if (transform.IsTraining)
            throw new ArgumentException("prediction takes the evaluation transform, not the training one", nameof(transform));
        return path => transform.Apply(ImageDecoder.Decode(path, transform.Channels, transform.ResizeSize, transform.MaxPixels));
    }

    /// <summary>
    /// A run trained on fixed-size images held in memory (CIFAR, MNIST): the centre square of the picture resized to
    /// <paramref name="size"/> x <paramref name="size"/> and normalised, so that an image of that size goes in as it is.
    /// </summary>
    /// <param name="size">The side of the network's input.</param>
    /// <param name="normalization">The run's normalisation.</param>
    /// <param name="channels">3 (RGB) or 1 (grey).</param>
    /// <param name="maxPixels">The most pixels a file may declare (<see cref="ImageFolderOptions.DefaultMaxImagePixels"/>).</param>
    public static Func<string, Tensor> CentreSquare(int size, Normalization normalization, int channels, long maxPixels = ImageFolderOptions.DefaultMaxImagePixels)
    {
        // The evaluation transform's rendering and normalisation, applied to the centre square instead of its own box.
        var transform = ImageTransform.Evaluation(size, normalization, channels, maxPixels);
        return path =>
        {
            var image = ImageDecoder.Decode(path, channels, size, maxPixels);
            double side = Math.Min(image.SourceWidth, image.SourceHeight);
            return transform.Apply(image, new CropBox((image.SourceWidth - side) / 2, (image.SourceHeight - side) / 2, side, side));
        };
    }
}
