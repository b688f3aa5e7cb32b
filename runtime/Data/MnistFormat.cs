using static TorchSharp.torch;

namespace NfmGen.Data;

/// <summary>
/// Datasets shipped as MNIST's four IDX files (MNIST, Fashion-MNIST, KMNIST):
/// <c>{train,t10k}-images-idx3-ubyte</c> and <c>{train,t10k}-labels-idx1-ubyte</c>, each plain or <c>.gz</c>.
/// </summary>
internal static class MnistFormat
{
    /// <summary>Loads the <paramref name="split"/> files from <paramref name="folder"/>, preferring plain files over <c>.gz</c>.</summary>
    /// <param name="folder">The folder that holds the four files.</param>
    /// <param name="split">Train (<c>train-*</c>) or test (<c>t10k-*</c>).</param>
    /// <param name="name">The dataset's name; the split is appended, e.g. <c>mnist-train</c>.</param>
    /// <param name="normalization">The dataset's normalisation (one channel), e.g. <see cref="Normalization.Mnist"/>.</param>
    /// <param name="classCount">The number of classes.</param>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="InvalidDataException">A file is damaged; see <see cref="LoadFiles"/>.</exception>
    public static ImageDataset Load(string folder, DatasetSplit split, string name, Normalization normalization, int classCount = 10)
    {
        string prefix = split switch
        {
            DatasetSplit.Train => "train",
            DatasetSplit.Test => "t10k",
            _ => throw new ArgumentOutOfRangeException(nameof(split), split, "accepted: Train, Test."),
        };
        return LoadFiles(
            $"{name}-{split.ToString().ToLowerInvariant()}",
            Find(folder, $"{prefix}-images-idx3-ubyte"),
            Find(folder, $"{prefix}-labels-idx1-ubyte"),
            normalization,
            classCount);
    }

    /// <summary>Loads an images file and a labels file, each plain or gzip-compressed.</summary>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="InvalidDataException">
    /// A wrong magic number, a truncated file, image and label counts that disagree, or a label outside <c>0..classCount-1</c>.
    /// </exception>
    public static ImageDataset LoadFiles(string name, string imagesPath, string labelsPath, Normalization normalization, int classCount = 10)
    {
        var (pixels, count, rows, cols) = IdxFile.ReadImages(imagesPath);
        byte[] labelBytes = IdxFile.ReadLabels(labelsPath);
        if (labelBytes.Length != count)
            throw new InvalidDataException($"{imagesPath} has {count} images but {labelsPath} has {labelBytes.Length} labels; they must match.");

        var labels = new long[count];
        for (var i = 0; i < count; i++)
        {
            if (labelBytes[i] >= classCount)
                throw new InvalidDataException($"{labelsPath}: label {i} is {labelBytes[i]}, expected 0..{classCount - 1}.");
            labels[i] = labelBytes[i];
        }

        return new ImageDataset(name, tensor(pixels, [count, 1, rows, cols], ScalarType.Byte), tensor(labels, [count]), classCount, normalization);
    }

    private static string Find(string folder, string fileName)
    {
        string plain = Path.Combine(folder, fileName);
        if (File.Exists(plain))
            return plain;
        string gzip = plain + ".gz";
        if (File.Exists(gzip))
            return gzip;
        throw new FileNotFoundException($"IDX file not found: {plain} (nor {fileName}.gz there).", plain);
    }
}
