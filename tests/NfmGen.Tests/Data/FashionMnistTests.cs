using NfmGen.Data;

namespace NfmGen.Tests.Data;

/// <summary>The real Fashion-MNIST from Debian's dataset-fashion-mnist package, when it is installed.</summary>
public sealed class FashionMnistTests
{
    private const string NotInstalled =
        "Fashion-MNIST is not installed at " + FashionMnist.DefaultFolder + ": run `apt-get install -y dataset-fashion-mnist` to test against the real files";

    [SkippableTheory]
    [InlineData(DatasetSplit.Train, 60_000)]
    [InlineData(DatasetSplit.Test, 10_000)]
    public void The_installed_files_load_with_their_published_sizes(DatasetSplit split, int count)
    {
        Skip.IfNot(FashionMnist.IsAvailable(), NotInstalled);

        using var dataset = FashionMnist.Load(split);

        Assert.Equal([count, 1L, 28L, 28L], dataset.Images.shape);
        Assert.Equal(10, dataset.ClassCount);
        Assert.Same(Normalization.FashionMnist, dataset.Normalization);
        // Every class has exactly a tenth of the samples in both splits.
        Assert.Equal(Enumerable.Repeat((long)count / 10, 10), dataset.Labels.bincount(null).data<long>().ToArray());
    }

    [Fact]
    public void A_folder_without_the_files_is_not_available_and_fails_to_load_naming_the_file()
    {
        string folder = Path.Combine(Path.GetTempPath(), "nfmgen-no-such-folder");

        Assert.False(FashionMnist.IsAvailable(folder));
        var error = Assert.Throws<FileNotFoundException>(() => FashionMnist.Load(DatasetSplit.Test, folder));
        Assert.Contains(Path.Combine(folder, "t10k-images-idx3-ubyte"), error.Message);
    }
}
