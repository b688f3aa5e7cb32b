using NfmGen.Data.Images;
using static TorchSharp.torch;

namespace NfmGen.Data;

/// <summary>
/// The datasets NfmGen reads, each a <see cref="LabeledDataset"/> that the trainer, the evaluators and the predictor
/// take as it is: <c>using var train = Datasets.Cifar10("/data/cifar-10-batches-bin", DatasetSplit.Train);</c>. A
/// kind of data of your own is a subclass of <see cref="LabeledDataset"/>.
/// </summary>
public static class Datasets
{
    /// <summary>
    /// CIFAR-10's binary version: <c>data_batch_1..5.bin</c> (train) or <c>test_batch.bin</c> (test) in
    /// <paramref name="folder"/> or its <c>cifar-10-batches-bin</c> subfolder.
    /// </summary>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="InvalidDataException">A file is truncated or holds a label outside 0..9.</exception>
    public static LabeledDataset Cifar10(string folder, DatasetSplit split) => Data.Cifar10.Load(folder, split);

    /// <summary>
    /// CIFAR-100's binary version: <c>train.bin</c> or <c>test.bin</c> in <paramref name="folder"/> or its
    /// <c>cifar-100-binary</c> subfolder, with the 100 fine labels, or the 20 coarse ones (superclasses).
    /// </summary>
    /// <exception cref="FileNotFoundException">The file is missing.</exception>
    /// <exception cref="InvalidDataException">The file is truncated or holds a label outside the class range.</exception>
    public static LabeledDataset Cifar100(string folder, DatasetSplit split, bool coarseLabels = false) =>
        Data.Cifar100.Load(folder, split, coarseLabels ? Cifar100Labels.Coarse : Cifar100Labels.Fine);

    /// <summary>Fashion-MNIST's IDX files (plain or <c>.gz</c>) in <paramref name="folder"/> (default: where Debian's <c>dataset-fashion-mnist</c> puts them).</summary>
    /// <exception cref="FileNotFoundException">A file is missing (on Debian: <c>apt-get install dataset-fashion-mnist</c>).</exception>
    /// <exception cref="InvalidDataException">A file is damaged.</exception>
    public static LabeledDataset FashionMnist(DatasetSplit split, string? folder = null) => Data.FashionMnist.Load(split, folder);

    /// <summary>
    /// A folder of images in torchvision's <c>ImageFolder</c> layout (<c>root/&lt;class&gt;/&lt;image&gt;</c>), decoded and
    /// augmented on worker threads as batches are drawn; ImageNet's <c>train</c> and <c>val</c> folders are two of them.
    /// </summary>
    /// <param name="root">The folder whose subfolders are the classes.</param>
    /// <param name="options">Image size, channels, normalisation, bad files, workers; default <see cref="ImageFolderOptions"/>'s.</param>
    /// <param name="classNames">The training classes, for a validation folder; null for a training folder.</param>
    /// <exception cref="InvalidDataException">The folder's layout is refused; the message names the folder.</exception>
    public static LabeledDataset ImageFolder(string root, ImageFolderOptions? options = null, IReadOnlyList<string>? classNames = null) =>
        ImageFolderDataset.Open(root, options, classNames);

    /// <summary>
    /// Images held in memory as the publisher stores them: <paramref name="images"/> uint8 <c>[N, C, H, W]</c>, 0..255,
    /// <paramref name="labels"/> int64 <c>[N]</c>, scaled to [0, 1] and normalised as batches are drawn. The dataset owns the tensors.
    /// </summary>
    /// <exception cref="ArgumentException">A shape, type or label does not fit.</exception>
    public static LabeledDataset FromImages(string name, Tensor images, Tensor labels, int classCount, Normalization normalization) =>
        new ImageDataset(name, images, labels, classCount, normalization);

    /// <summary>
    /// Samples that are not images: <paramref name="features"/> float32 <c>[N, D]</c>, used as they are, <paramref name="labels"/>
    /// int64 <c>[N]</c>. The dataset owns the tensors.
    /// </summary>
    /// <exception cref="ArgumentException">A shape, type or label does not fit.</exception>
    public static LabeledDataset FromFeatures(string name, Tensor features, Tensor labels, int classCount) =>
        new FeatureDataset(name, features, labels, classCount);

    /// <summary>scikit-learn's <c>make_moons</c>: two interleaving half circles, seeded (see the demo).</summary>
    public static LabeledDataset TwoMoons(int count, double jitter, double labelNoise, long seed) => ToyDatasets.TwoMoons(count, jitter, labelNoise, seed);

    /// <summary>scikit-learn's <c>make_circles</c>: two concentric circles, the inner of radius <paramref name="factor"/>, seeded.</summary>
    public static LabeledDataset Circles(int count, double jitter, double labelNoise, long seed, double factor = 0.8) =>
        ToyDatasets.Circles(count, jitter, labelNoise, seed, factor);
}
