using NfmGen.Reports;
using static TorchSharp.torch;

namespace NfmGen.Robustness;

/// <summary>
/// A CIFAR-10-C or CIFAR-100-C folder (Hendrycks and Dietterich, 2019): per corruption a <c>&lt;name&gt;.npy</c> of uint8
/// images <c>(N, H, W, C)</c>, severities 1-5 in five equal consecutive blocks (N = 5 x 10,000 in the published data),
/// and <c>labels.npy</c> with the N labels (uint8 or int64) in the same order. <see cref="Open"/> reads only headers;
/// images and labels are loaded on demand.
/// </summary>
public sealed class CifarCorruptionFolder
{
    /// <summary>The number of severities, stored in this order in every file.</summary>
    public const int SeverityCount = 5;

    /// <summary>The labels' file name.</summary>
    public const string LabelsFile = "labels.npy";

    private CifarCorruptionFolder(string path, IReadOnlyList<string> corruptions, long imagesPerSeverity, long[] imageShape)
    {
        Path = path;
        Corruptions = corruptions;
        ImagesPerSeverity = imagesPerSeverity;
        ImageShape = imageShape;
    }

    /// <summary>The folder.</summary>
    public string Path { get; }

    /// <summary>The corruptions of <see cref="CifarCorruptions.Names"/> that have a file here, in that order; other files are ignored.</summary>
    public IReadOnlyList<string> Corruptions { get; }

    /// <summary>The number of images of each severity of each corruption (10,000 in the published data).</summary>
    public long ImagesPerSeverity { get; }

    /// <summary>The shape of one image as <see cref="LoadImages"/> returns it, <c>[C, H, W]</c>.</summary>
    public IReadOnlyList<long> ImageShape { get; }

    /// <summary>Finds the corruption files in <paramref name="path"/> and checks every header against <see cref="LabelsFile"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException"><see cref="LabelsFile"/> is missing, or no known corruption has a file.</exception>
    /// <exception cref="InvalidDataException">A file is damaged, or its dtype or shape does not fit; the message names the file.</exception>
    public static CifarCorruptionFolder Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!Directory.Exists(path))
            throw new DirectoryNotFoundException($"CIFAR-C: folder not found: {path}");
        string labelsPath = System.IO.Path.Combine(path, LabelsFile);
        if (!File.Exists(labelsPath))
            throw new FileNotFoundException($"CIFAR-C: {LabelsFile} not found in {path}.", labelsPath);

        var labels = NpyFile.ReadHeader(labelsPath);
        if (labels.Shape.Count != 1 || labels.ElementType is not (ScalarType.Byte or ScalarType.Int32 or ScalarType.Int64))
            throw new InvalidDataException($"{labelsPath}: labels must be a 1-D array of |u1, <i4 or <i8 (was {labels.Descr} {labels.ShapeText}).");
        long count = labels.Shape[0];
        if (count == 0 || count % SeverityCount != 0)
            throw new InvalidDataException($"{labelsPath}: {count} labels; expected a positive multiple of {SeverityCount}, one equal block per severity.");

        var corruptions = CifarCorruptions.Names.Where(name => File.Exists(FileOf(path, name))).ToArray();
        if (corruptions.Length == 0)
            throw new FileNotFoundException($"CIFAR-C: no corruption file in {path}; expected some of {string.Join(", ", CifarCorruptions.Names.Select(name => name + ".npy"))}.", path);

        long[]? imageShape = null;
        foreach (string corruption in corruptions)
        {
            string file = FileOf(path, corruption);
            var header = NpyFile.ReadHeader(file);
            if (header.ElementType != ScalarType.Byte || header.Shape.Count != 4)
                throw new InvalidDataException($"{file}: images must be |u1 (N, H, W, C) (were {header.Descr} {header.ShapeText}).");
            if (header.Shape[0] != count)
                throw new InvalidDataException($"{file}: {header.Shape[0]} images but {LabelsFile} has {count} labels; they must match.");
            long[] shape = [header.Shape[3], header.Shape[1], header.Shape[2]];
            if (imageShape is not null && !shape.SequenceEqual(imageShape))
                throw new InvalidDataException($"{file}: images are {header.Shape[1]}x{header.Shape[2]}x{header.Shape[3]} (H x W x C), unlike {corruptions[0]}.npy's {imageShape[1]}x{imageShape[2]}x{imageShape[0]}.");
            imageShape = shape;
        }
        return new CifarCorruptionFolder(path, corruptions, count / SeverityCount, imageShape!);
    }

    /// <summary>The labels of every file, int64 <c>[N]</c> on the CPU; the caller owns the tensor.</summary>
    /// <exception cref="InvalidDataException">The file changed since <see cref="Open"/>, or holds a negative label.</exception>
    public Tensor LoadLabels()
    {
        string file = System.IO.Path.Combine(Path, LabelsFile);
        using var scope = NewDisposeScope();
        var labels = NpyFile.Read(file).to_type(ScalarType.Int64);
        if (labels.shape[0] != ImagesPerSeverity * SeverityCount)
            throw new InvalidDataException($"{file}: {labels.shape[0]} labels; the folder was opened with {ImagesPerSeverity * SeverityCount}.");
        long min = labels.min().item<long>();
        if (min < 0)
            throw new InvalidDataException($"{file}: labels must be >= 0 (found {min}).");
        return labels.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The images of <paramref name="corruption"/>, uint8 <c>[N, C, H, W]</c> on the CPU (converted from the file's
    /// HWC), severity s in rows <c>(s-1)·ImagesPerSeverity</c> onwards; the caller owns the tensor.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="corruption"/> is not one of <see cref="Corruptions"/>.</exception>
    /// <exception cref="InvalidDataException">The file changed since <see cref="Open"/>.</exception>
    public Tensor LoadImages(string corruption)
    {
        if (!Corruptions.Contains(corruption))
            throw new ArgumentException($"corruption \"{corruption}\" has no file in {Path}; present: {string.Join(", ", Corruptions)}.", nameof(corruption));
        string file = FileOf(Path, corruption);
        using var scope = NewDisposeScope();
        var images = NpyFile.Read(file);
        long[] expected = [ImagesPerSeverity * SeverityCount, ImageShape[1], ImageShape[2], ImageShape[0]];
        if (!images.shape.SequenceEqual(expected))
            throw new InvalidDataException($"{file}: shape ({string.Join(", ", images.shape)}) changed since the folder was opened with ({string.Join(", ", expected)}).");
        var channelsFirst = images.permute(0, 3, 1, 2).contiguous();
        images.Dispose(); // a CIFAR-10-C file is 150 MB: free the HWC copy before the caller's next step
        return channelsFirst.MoveToOuterDisposeScope();
    }

    private static string FileOf(string folder, string corruption) => System.IO.Path.Combine(folder, corruption + ".npy");
}
