using NfmGen.Data.Images;
using NfmGen.Inference;
using TorchSharp;
using static TorchSharp.torch;

namespace NfmGen.Prediction;

/// <summary>
/// Classifies image files with a trained network: each file goes through the run's evaluation transform
/// (<paramref name="loadImage"/>), the files are batched, and each gets its most probable classes by softmax.
/// </summary>
/// <param name="model">The classifier, on <paramref name="device"/>, returning logits <c>[B, classes]</c>; put in eval mode for each call, its mode restored after.</param>
/// <param name="classNames">One name per class, in the network's output order.</param>
/// <param name="loadImage">
/// A file to network input <c>[C, H, W]</c> (decoded, transformed and normalised as the run evaluates). It throws
/// <see cref="InvalidDataException"/> or <see cref="IOException"/> for a file it cannot read.
/// </param>
/// <param name="device">Where batches are computed.</param>
/// <param name="batchSize">Images per forward pass, &gt;= 1.</param>
public sealed class ImagePredictor(nn.Module<Tensor, Tensor> model, IReadOnlyList<string> classNames, Func<string, Tensor> loadImage, Device device, int batchSize = ImagePredictor.DefaultBatchSize)
{
    /// <summary>Images per forward pass, unless the caller says otherwise.</summary>
    public const int DefaultBatchSize = 32;

    /// <summary>Classes per image, unless the caller says otherwise.</summary>
    public const int DefaultTop = 5;

    private readonly nn.Module<Tensor, Tensor> model = model ?? throw new ArgumentNullException(nameof(model));
    private readonly IReadOnlyList<string> classNames = classNames ?? throw new ArgumentNullException(nameof(classNames));
    private readonly Func<string, Tensor> loadImage = loadImage ?? throw new ArgumentNullException(nameof(loadImage));
    private readonly Device device = device ?? throw new ArgumentNullException(nameof(device));
    private readonly int batchSize = batchSize >= 1 ? batchSize : throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batchSize must be >= 1");

    /// <summary>The names of the classes, in the network's output order.</summary>
    public IReadOnlyList<string> ClassNames => classNames;

    /// <summary>
    /// The <paramref name="top"/> most probable classes of each file of <paramref name="files"/>, in their order.
    /// </summary>
    /// <param name="files">Image files (see <see cref="ImageFiles"/> to expand folders).</param>
    /// <param name="top">How many classes per file, &gt;= 1 (fewer when the network has fewer).</param>
    /// <param name="skipBadImages">
    /// False: a file that cannot be read stops the call with an <see cref="InvalidDataException"/> naming it. True: it
    /// is returned with <see cref="ImagePrediction.Error"/> set and the other files are predicted.
    /// </param>
    /// <param name="cancellationToken">Stops between files.</param>
    public IReadOnlyList<ImagePrediction> Predict(IEnumerable<string> files, int top = DefaultTop, bool skipBadImages = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (top < 1)
            throw new ArgumentOutOfRangeException(nameof(top), top, "top must be >= 1");

        var predictions = new List<ImagePrediction>();
        var pending = new List<(string Path, Tensor Input)>();
        using var inference = InferenceScope.NoGrad(model);
        try
        {
            foreach (var file in files)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var (input, error) = Load(file, skipBadImages);
                if (input is not null)
                    pending.Add((file, input));
                else
                    predictions.Add(new ImagePrediction(file, [], error));
                if (pending.Count == batchSize)
                    Flush(pending, top, predictions);
            }
            Flush(pending, top, predictions);
        }
        finally
        {
            foreach (var (_, input) in pending)
                input.Dispose();
        }
        return predictions;
    }

    /// <summary>
    /// The image files named by <paramref name="filesOrFolders"/>, in order: a file as given, a folder as its files
    /// with an image extension (<paramref name="imageExtensions"/>, compared without case; by default those an image
    /// folder reads: .jpg, .jpeg, .png, .bmp and .webp), recursively, sorted by path (ordinal).
    /// </summary>
    /// <exception cref="FileNotFoundException">A path is neither a file nor a folder.</exception>
    /// <exception cref="InvalidDataException">A folder holds no image file.</exception>
    public static IReadOnlyList<string> ImageFiles(IEnumerable<string> filesOrFolders, IReadOnlyCollection<string>? imageExtensions = null)
    {
        ArgumentNullException.ThrowIfNull(filesOrFolders);
        imageExtensions ??= ImageFolderIndex.Extensions;
        var files = new List<string>();
        foreach (var path in filesOrFolders)
        {
            if (File.Exists(path))
            {
                files.Add(path);
                continue;
            }
            if (!Directory.Exists(path))
                throw new FileNotFoundException($"{path} is neither an image file nor a folder", path);
            var images = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                .Where(file => imageExtensions.Contains(Path.GetExtension(file), StringComparer.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal)
                .ToArray();
            if (images.Length == 0)
                throw new InvalidDataException($"{path} holds no image file (accepted: {string.Join(", ", imageExtensions)})");
            files.AddRange(images);
        }
        return files;
    }

    /// <summary>The network input of <paramref name="file"/>, or (when skipping) why it has none.</summary>
    private (Tensor? Input, string? Error) Load(string file, bool skipBadImages)
    {
        try
        {
            return (loadImage(file), null);
        }
        catch (Exception error) when (error is InvalidDataException or IOException)
        {
            string message = error.Message.Contains(file, StringComparison.Ordinal) ? error.Message : $"{file}: {error.Message}";
            if (!skipBadImages)
                throw new InvalidDataException(message + " (--skip-bad-images reports it and predicts the other files)", error);
            return (null, message);
        }
    }

    private void Flush(List<(string Path, Tensor Input)> pending, int top, List<ImagePrediction> predictions)
    {
        if (pending.Count == 0)
            return;
        using (var scope = NewDisposeScope())
        {
            var batch = stack(pending.Select(p => p.Input).ToArray()).to(device);
            var logits = model.call(batch);
            var tops = TopClasses.Of(logits, top, classNames);
            predictions.AddRange(pending.Select((p, i) => new ImagePrediction(p.Path, tops[i])));
        }
        foreach (var (_, input) in pending)
            input.Dispose();
        pending.Clear();
    }
}
