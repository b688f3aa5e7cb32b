using NfmGen.Data;
using NfmGen.Tests.Build;

namespace NfmGen.Tests.Data;

/// <summary>IDX files, plain and gzip, read back exactly; damaged ones fail with the file named and what was expected.</summary>
public sealed class MnistFormatTests
{
    private const int Rows = 3, Cols = 5; // not square, so swapped axes show

    private static (string Images, string Labels) Write(TempDirectory temp, string prefix, string suffix, int count = 4, byte[]? labels = null)
    {
        string images = temp.File($"{prefix}-images-idx3-ubyte{suffix}"), labelsPath = temp.File($"{prefix}-labels-idx1-ubyte{suffix}");
        DataFileWriter.WriteIdxImages(images, count, Rows, Cols);
        DataFileWriter.WriteIdxLabels(labelsPath, labels ?? Enumerable.Range(0, count).Select(i => (byte)(9 - i)).ToArray());
        return (images, labelsPath);
    }

    private static void AssertPixelsAreWritten(ImageDataset dataset)
    {
        Assert.Equal([dataset.Count, 1L, Rows, Cols], dataset.Images.shape);
        var pixels = dataset.Images.data<byte>().ToArray();
        var i = 0;
        for (var n = 0; n < dataset.Count; n++)
            for (var y = 0; y < Rows; y++)
                for (var x = 0; x < Cols; x++)
                    Assert.True(DataFileWriter.Pixel(n, 0, y, x) == pixels[i++], $"pixel n={n} y={y} x={x}");
    }

    [Theory]
    [InlineData("")]
    [InlineData(".gz")]
    public void Images_and_labels_read_back_exactly(string suffix)
    {
        using var temp = new TempDirectory();
        Write(temp, "train", suffix);

        using var dataset = MnistFormat.Load(temp.Path, DatasetSplit.Train, "kmnist", Normalization.Mnist);

        Assert.Equal("kmnist-train", dataset.Name);
        Assert.Equal(10, dataset.ClassCount);
        Assert.Equal(new long[] { 9, 8, 7, 6 }, dataset.Labels.data<long>().ToArray());
        AssertPixelsAreWritten(dataset);
    }

    [Fact]
    public void The_test_split_reads_the_t10k_files()
    {
        using var temp = new TempDirectory();
        Write(temp, "t10k", ".gz", count: 2);

        using var dataset = MnistFormat.Load(temp.Path, DatasetSplit.Test, "mnist", Normalization.Mnist);

        Assert.Equal("mnist-test", dataset.Name);
        Assert.Equal(2, dataset.Count);
    }

    [Fact]
    public void A_labels_file_given_as_images_is_a_wrong_magic_number()
    {
        using var temp = new TempDirectory();
        var (_, labels) = Write(temp, "train", "");

        var error = Assert.Throws<InvalidDataException>(() => MnistFormat.LoadFiles("x", labels, labels, Normalization.Mnist));

        Assert.Equal($"{labels}: magic number 0x00000801, expected 0x00000803 for IDX images (unsigned bytes, 3 dimensions) (this is a labels file).", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".gz")]
    public void A_truncated_images_file_says_how_many_bytes_are_missing(string suffix)
    {
        using var temp = new TempDirectory();
        var (images, labels) = Write(temp, "train", suffix);
        DataFileWriter.WriteIdxImages(temp.File("plain"), 4, Rows, Cols);
        DataFileWriter.Write(images, File.ReadAllBytes(temp.File("plain"))[..^7]); // gzip-compresses a cut file for .gz

        var error = Assert.Throws<InvalidDataException>(() => MnistFormat.LoadFiles("x", images, labels, Normalization.Mnist));

        Assert.Equal($"{images}: truncated: the header [4 x 3 x 5] needs 60 data bytes, the file has 53.", error.Message);
    }

    [Fact]
    public void A_cut_gzip_stream_names_the_file()
    {
        using var temp = new TempDirectory();
        var (images, labels) = Write(temp, "train", ".gz");
        DataFileWriter.Truncate(images, 10);

        var error = Assert.Throws<InvalidDataException>(() => MnistFormat.LoadFiles("x", images, labels, Normalization.Mnist));

        Assert.StartsWith(images + ": ", error.Message);
    }

    [Fact]
    public void A_header_cut_short_is_truncated()
    {
        using var temp = new TempDirectory();
        var (images, labels) = Write(temp, "train", "");
        File.WriteAllBytes(images, File.ReadAllBytes(images)[..10]);

        var error = Assert.Throws<InvalidDataException>(() => MnistFormat.LoadFiles("x", images, labels, Normalization.Mnist));

        Assert.Equal($"{images}: truncated: 10 bytes, too short for the 16-byte IDX header.", error.Message);
    }

    [Fact]
    public void Image_and_label_counts_that_disagree_are_reported()
    {
        using var temp = new TempDirectory();
        var (images, labels) = Write(temp, "train", "", count: 4, labels: [1, 2, 3]);

        var error = Assert.Throws<InvalidDataException>(() => MnistFormat.LoadFiles("x", images, labels, Normalization.Mnist));

        Assert.Equal($"{images} has 4 images but {labels} has 3 labels; they must match.", error.Message);
    }

    [Fact]
    public void A_label_outside_the_classes_is_reported()
    {
        using var temp = new TempDirectory();
        var (images, labels) = Write(temp, "train", ".gz", count: 3, labels: [0, 9, 10]);

        var error = Assert.Throws<InvalidDataException>(() => MnistFormat.LoadFiles("x", images, labels, Normalization.Mnist));

        Assert.Equal($"{labels}: label 2 is 10, expected 0..9.", error.Message);
    }

    [Fact]
    public void A_missing_file_names_both_names_tried()
    {
        using var temp = new TempDirectory();
        Write(temp, "train", "");
        File.Delete(temp.File("train-labels-idx1-ubyte"));

        var error = Assert.Throws<FileNotFoundException>(() => MnistFormat.Load(temp.Path, DatasetSplit.Train, "x", Normalization.Mnist));

        Assert.Equal($"IDX file not found: {temp.File("train-labels-idx1-ubyte")} (nor train-labels-idx1-ubyte.gz there).", error.Message);
    }

    [Fact]
    public void A_normalisation_with_the_wrong_channel_count_is_refused()
    {
        using var temp = new TempDirectory();
        var (images, labels) = Write(temp, "train", "");

        var error = Assert.Throws<ArgumentException>(() => MnistFormat.LoadFiles("x", images, labels, Normalization.Cifar10));

        Assert.StartsWith("x: images have 1 channels but the normalisation has 3", error.Message);
    }
}
