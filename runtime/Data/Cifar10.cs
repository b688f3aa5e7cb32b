namespace NfmGen.Data;

/// <summary>CIFAR-10 in its binary version (<c>cifar-10-binary.tar.gz</c>): 32x32 RGB images, 10 classes.</summary>
internal static class Cifar10
{
    /// <summary>The folder the publisher's archive unpacks to.</summary>
    public const string Subfolder = "cifar-10-batches-bin";

    /// <summary>The number of classes.</summary>
    public const int ClassCount = 10;

    /// <summary>
    /// Loads <c>data_batch_1.bin</c>..<c>data_batch_5.bin</c> (train) or <c>test_batch.bin</c> (test) from
    /// <paramref name="folder"/> or its <see cref="Subfolder"/>.
    /// </summary>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="split"/> is not a defined value.</exception>
    /// <exception cref="InvalidDataException">A file is truncated or holds a label outside 0..9.</exception>
    public static ImageDataset Load(string folder, DatasetSplit split)
    {
        string[] names = split switch
        {
            DatasetSplit.Train => ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"],
            DatasetSplit.Test => ["test_batch.bin"],
            _ => throw new ArgumentOutOfRangeException(nameof(split), split, "accepted: Train, Test."),
        };
        string root = DataFiles.ResolveFolder(folder, Subfolder, names[0], "CIFAR-10");
        var (images, labels) = CifarBinary.Read(names.Select(n => Path.Combine(root, n)).ToArray(), labelBytes: 1, labelOffset: 0, ClassCount, "label");
        return new ImageDataset($"cifar10-{split.ToString().ToLowerInvariant()}", images, labels, ClassCount, Normalization.Cifar10);
    }
}
