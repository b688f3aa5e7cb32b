using NfmGen.Data;
using NfmGen.Tests.Build;

namespace NfmGen.Tests.Data;

/// <summary>CIFAR-10 and CIFAR-100 binary files read back exactly, and damaged ones fail with the file named.</summary>
public sealed class CifarTests
{
    private static byte[][] Labels(params byte[] labels) => labels.Select(l => new[] { l }).ToArray();

    private static void AssertPixelsAreWritten(ImageDataset dataset)
    {
        Assert.Equal([dataset.Count, 3L, 32L, 32L], dataset.Images.shape);
        var pixels = dataset.Images.data<byte>().ToArray();
        var i = 0;
        for (var n = 0; n < dataset.Count; n++)
            for (var c = 0; c < 3; c++)
                for (var y = 0; y < 32; y++)
                    for (var x = 0; x < 32; x++)
                        Assert.True(DataFileWriter.Pixel(n, c, y, x) == pixels[i++], $"pixel n={n} c={c} y={y} x={x}");
    }

    private static void WriteCifar10Train(string folder, Func<int, byte[][]>? labelsOfBatch = null)
    {
        Directory.CreateDirectory(folder);
        for (var b = 1; b <= 5; b++)
            DataFileWriter.WriteCifar(Path.Combine(folder, $"data_batch_{b}.bin"), labelsOfBatch?.Invoke(b) ?? Labels((byte)b, (byte)(9 - b)), firstSample: 2 * (b - 1));
    }

    [Fact]
    public void Cifar10_train_reads_the_five_batches_in_order_from_the_publishers_subfolder()
    {
        using var temp = new TempDirectory();
        WriteCifar10Train(temp.File(Cifar10.Subfolder));

        using var dataset = Cifar10.Load(temp.Path, DatasetSplit.Train);

        Assert.Equal("cifar10-train", dataset.Name);
        Assert.Equal(10, dataset.ClassCount);
        Assert.Same(Normalization.Cifar10, dataset.Normalization);
        Assert.Equal(new long[] { 1, 8, 2, 7, 3, 6, 4, 5, 5, 4 }, dataset.Labels.data<long>().ToArray());
        AssertPixelsAreWritten(dataset);
    }

    [Fact]
    public void Cifar10_test_reads_test_batch_from_the_folder_itself()
    {
        using var temp = new TempDirectory();
        DataFileWriter.WriteCifar(temp.File("test_batch.bin"), Labels(0, 9, 3));

        using var dataset = Cifar10.Load(temp.Path, DatasetSplit.Test);

        Assert.Equal(new long[] { 0, 9, 3 }, dataset.Labels.data<long>().ToArray());
        AssertPixelsAreWritten(dataset);
    }

    [Theory]
    [InlineData(nameof(Cifar100Labels.Fine), 100, new long[] { 99, 0, 42 })]
    [InlineData(nameof(Cifar100Labels.Coarse), 20, new long[] { 19, 5, 0 })]
    public void Cifar100_reads_the_chosen_label_byte(string which, int classCount, long[] expected)
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.File(Cifar100.Subfolder));
        DataFileWriter.WriteCifar(Path.Combine(temp.File(Cifar100.Subfolder), "train.bin"), [[19, 99], [5, 0], [0, 42]]);

        using var dataset = Cifar100.Load(temp.Path, DatasetSplit.Train, Enum.Parse<Cifar100Labels>(which));

        Assert.Equal(classCount, dataset.ClassCount);
        Assert.Same(Normalization.Cifar100, dataset.Normalization);
        Assert.Equal(expected, dataset.Labels.data<long>().ToArray());
        AssertPixelsAreWritten(dataset);
    }

    [Fact]
    public void A_missing_batch_is_named()
    {
        using var temp = new TempDirectory();
        WriteCifar10Train(temp.Path);
        File.Delete(temp.File("data_batch_3.bin"));

        var error = Assert.Throws<FileNotFoundException>(() => Cifar10.Load(temp.Path, DatasetSplit.Train));

        Assert.Contains(temp.File("data_batch_3.bin"), error.Message);
    }

    [Fact]
    public void A_folder_without_the_files_names_both_places_looked()
    {
        using var temp = new TempDirectory();

        var error = Assert.Throws<FileNotFoundException>(() => Cifar100.Load(temp.Path, DatasetSplit.Test));

        Assert.Contains("test.bin not found in " + temp.Path, error.Message);
        Assert.Contains("cifar-100-binary subfolder", error.Message);
    }

    [Fact]
    public void A_truncated_record_is_reported_with_the_file_and_record()
    {
        using var temp = new TempDirectory();
        DataFileWriter.WriteCifar(temp.File("test_batch.bin"), Labels(1, 2, 3));
        DataFileWriter.Truncate(temp.File("test_batch.bin"), 100);

        var error = Assert.Throws<InvalidDataException>(() => Cifar10.Load(temp.Path, DatasetSplit.Test));

        Assert.Equal($"{temp.File("test_batch.bin")}: truncated: 9119 bytes is not a whole number of 3073-byte records (record 2 has 2973 of 3073 bytes).", error.Message);
    }

    [Fact]
    public void An_empty_file_is_reported()
    {
        using var temp = new TempDirectory();
        File.WriteAllBytes(temp.File("test_batch.bin"), []);

        var error = Assert.Throws<InvalidDataException>(() => Cifar10.Load(temp.Path, DatasetSplit.Test));

        Assert.Contains("test_batch.bin: empty; expected records of 3073 bytes", error.Message);
    }

    [Fact]
    public void A_label_outside_the_classes_is_reported_with_its_record()
    {
        using var temp = new TempDirectory();
        WriteCifar10Train(temp.Path, b => b == 4 ? Labels(0, 10) : Labels(0, 1));

        var error = Assert.Throws<InvalidDataException>(() => Cifar10.Load(temp.Path, DatasetSplit.Train));

        Assert.Equal($"{temp.File("data_batch_4.bin")}: record 1 has label 10, expected 0..9.", error.Message);
    }

    [Theory]
    [InlineData(nameof(Cifar100Labels.Fine), "record 0 has fine label 100, expected 0..99.")]
    [InlineData(nameof(Cifar100Labels.Coarse), "record 1 has coarse label 20, expected 0..19.")]
    public void A_cifar100_label_outside_its_classes_is_reported(string which, string expected)
    {
        using var temp = new TempDirectory();
        DataFileWriter.WriteCifar(temp.File("test.bin"), [[0, 100], [20, 0]]);

        var error = Assert.Throws<InvalidDataException>(() => Cifar100.Load(temp.Path, DatasetSplit.Test, Enum.Parse<Cifar100Labels>(which)));

        Assert.Equal($"{temp.File("test.bin")}: {expected}", error.Message);
    }
}
