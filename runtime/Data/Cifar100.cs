namespace NfmGen.Data;

/// <summary>CIFAR-100 in its binary version (<c>cifar-100-binary.tar.gz</c>): 32x32 RGB images, 100 fine or 20 coarse classes.</summary>
internal static class Cifar100
{
    /// <summary>The folder the publisher's archive unpacks to.</summary>
    public const string Subfolder = "cifar-100-binary";

    /// <summary>The number of fine classes.</summary>
    public const int FineClassCount = 100;

    /// <summary>The number of coarse classes.</summary>
    public const int CoarseClassCount = 20;

    /// <summary>
    /// Loads <c>train.bin</c> or <c>test.bin</c> from <paramref name="folder"/> or its <see cref="Subfolder"/>, with the
    /// 100 fine labels. Each record is a coarse label byte, a fine label byte and 3072 pixel bytes.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file is missing.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="split"/> is not a defined value.</exception>
    /// <exception cref="InvalidDataException">The file is truncated or holds a label outside the class range.</exception>
    public static ImageDataset Load(string folder, DatasetSplit split) => Load(folder, split, Cifar100Labels.Fine);

    /// <summary>As <see cref="Load(string, DatasetSplit)"/>, with the 20 coarse labels (superclasses).</summary>
    public static ImageDataset LoadCoarse(string folder, DatasetSplit split) => Load(folder, split, Cifar100Labels.Coarse);

    internal static ImageDataset Load(string folder, DatasetSplit split, Cifar100Labels labels)
    {
        if (!Enum.IsDefined(labels))
            throw new ArgumentOutOfRangeException(nameof(labels), labels, "accepted: Fine, Coarse.");
        string name = split switch
        {
            DatasetSplit.Train => "train.bin",
            DatasetSplit.Test => "test.bin",
            _ => throw new ArgumentOutOfRangeException(nameof(split), split, "accepted: Train, Test."),
        };
        string root = DataFiles.ResolveFolder(folder, Subfolder, name, "CIFAR-100");
        bool fine = labels == Cifar100Labels.Fine;
        int classCount = fine ? FineClassCount : CoarseClassCount;
        var (images, labelTensor) = CifarBinary.Read(
            [Path.Combine(root, name)], labelBytes: 2, labelOffset: fine ? 1 : 0, classCount, fine ? "fine label" : "coarse label");
        string datasetName = $"cifar100{(fine ? "" : "-coarse")}-{split.ToString().ToLowerInvariant()}";
        return new ImageDataset(datasetName, images, labelTensor, classCount, Normalization.Cifar100);
    }
}
