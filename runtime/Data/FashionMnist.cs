namespace NfmGen.Data;

/// <summary>Fashion-MNIST: 28x28 grey images of clothing, 10 classes, 60,000 train and 10,000 test.</summary>
internal static class FashionMnist
{
    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> package installs the files.</summary>
    public const string DefaultFolder = "/usr/share/datasets/fashion-mnist";

    /// <summary>The number of classes.</summary>
    public const int ClassCount = 10;

    /// <summary>Whether all four files are in <paramref name="folder"/> (default <see cref="DefaultFolder"/>), plain or <c>.gz</c>.</summary>
    public static bool IsAvailable(string? folder = null)
    {
        folder ??= DefaultFolder;
        return new[] { "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte" }
            .All(f => File.Exists(Path.Combine(folder, f)) || File.Exists(Path.Combine(folder, f + ".gz")));
    }

    /// <summary>Loads a split from <paramref name="folder"/> (default <see cref="DefaultFolder"/>).</summary>
    /// <exception cref="FileNotFoundException">A file is missing (on Debian: <c>apt-get install dataset-fashion-mnist</c>).</exception>
    /// <exception cref="InvalidDataException">A file is damaged.</exception>
    public static ImageDataset Load(DatasetSplit split, string? folder = null)
    {
        folder ??= DefaultFolder;
        try
        {
            return MnistFormat.Load(folder, split, "fashion-mnist", Normalization.FashionMnist, ClassCount);
        }
        catch (FileNotFoundException e) when (folder == DefaultFolder)
        {
            throw new FileNotFoundException($"{e.Message} Install Fashion-MNIST with: apt-get install dataset-fashion-mnist", e.FileName, e);
        }
    }
}
