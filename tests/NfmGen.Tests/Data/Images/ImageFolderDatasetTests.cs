using NfmGen.Data;
using NfmGen.Data.Images;
using NfmGen.Training;
using static TorchSharp.torch;

namespace NfmGen.Tests.Data.Images;

public sealed class ImageFolderDatasetTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void BatchesHaveTheShapeLabelsAndRangeOfTheFolder()
    {
        var root = ImageTreeWriter.Tree(folder.File("data"), ["a-red", "b-green", "c-blue"], 4);
        using var train = ImageFolderDataset.Open(Path.Combine(root, "train"), new ImageFolderOptions { ImageSize = 16, Workers = 2 });
        using var loader = new BatchLoader(train, 5, shuffle: true, augment: true, seed: 3);

        var batches = loader.Epoch(0).Select(batch => (Inputs: batch.Inputs.clone(), Labels: batch.Labels.clone(), Indices: batch.Indices.clone())).ToList();

        Assert.Equal([5, 3, 16, 16], batches[0].Inputs.shape);
        Assert.Equal(12, batches.Sum(batch => batch.Labels.shape[0]));
        foreach (var (inputs, labels, indices) in batches)
        {
            // Class k is bright in channel k: the label can be read off the pixels, whatever the crop.
            var brightest = inputs.mul(tensor(Normalization.ImageNet.Std.ToArray()).view(1, 3, 1, 1)).add(tensor(Normalization.ImageNet.Mean.ToArray()).view(1, 3, 1, 1))
                .mean([2, 3]).argmax(1);
            Assert.Equal(labels.data<long>().ToArray(), brightest.data<long>().ToArray());
            Assert.Equal(indices.data<long>().Select(i => (long)train.Index.Files[(int)i].Label).ToArray(), labels.data<long>().ToArray());
            Assert.InRange(inputs.min().item<float>(), Normalization.ImageNet.NormalizedMinimum.Min() - 1e-4f, 10);
            Assert.InRange(inputs.max().item<float>(), -10, Normalization.ImageNet.NormalizedMaximum.Max() + 1e-4f);
        }
    }

    [Fact]
    public void WithTwoBadFilesInABatchTheLowestIndexIsNamedEveryTime()
    {
        var root = folder.File("data");
        // Index 0: a large JPEG cut in half, slow to fail; index 1: not an image at all, fails at once. Whichever thread fails first,
        // the error must name index 0.
        var slow = ImageTreeWriter.Write(Path.Combine(root, "a", "0.jpg"), 1200, 1200, (x, y) => ((byte)(x * 7 + y), (byte)(x ^ y), (byte)(y * 3)));
        File.WriteAllBytes(slow, File.ReadAllBytes(slow)[..(int)(new FileInfo(slow).Length * 3 / 4)]);
        File.WriteAllText(Path.Combine(root, "a", "1.jpg"), "not an image");
        for (var i = 2; i < 6; i++)
            ImageTreeWriter.Solid(Path.Combine(root, "a", $"{i}.png"), 8, 8, 1, 2, 3);
        using var data = ImageFolderDataset.Open(root, new ImageFolderOptions { ImageSize = 8, Workers = 4 });

        for (var run = 0; run < 5; run++)
        {
            var error = Assert.Throws<BadImageException>(() => data.Materialize());
            Assert.Contains(slow, error.Message);
        }
    }

    [Fact]
    public void MaterializeRefusesMoreThanOneArrayHoldsWithAClearMessage()
    {
        var root = folder.File("data");
        for (var i = 0; i < 43; i++)
            ImageTreeWriter.Solid(Path.Combine(root, "a", $"{i}.png"), 8, 8, 1, 2, 3);
        // 43 x 3 x 4096² bytes is over 2 GiB: past what one byte array (and an int offset) can hold.
        using var data = ImageFolderDataset.Open(root, new ImageFolderOptions { ImageSize = ImageFolderOptions.MaxImageSize, Workers = 1 });

        var error = Assert.Throws<InvalidOperationException>(() => data.Materialize(maxBytes: long.MaxValue));

        Assert.Contains("one .NET array can hold", error.Message);
    }

    [Fact]
    public void FolderBatchesLeaveNoTensorAliveOnTheThreadThatAssemblesThem()
    {
        var root = ImageTreeWriter.Tree(folder.File("data"), ["a", "b"], 4);
        using var train = ImageFolderDataset.Open(Path.Combine(root, "train"), new ImageFolderOptions { ImageSize = 8, Workers = 1 });
        using var loader = new BatchLoader(train, 2, shuffle: true, prefetch: 0); // assembled on this thread
        foreach (var _ in loader.Epoch(0))
        {
        }
        var before = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        foreach (var _ in loader.Epoch(1))
        {
        }

        Assert.Equal(before, TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void AnEpochDependsOnSeedAndEpochOnlyNotOnTheNumberOfWorkers()
    {
        var root = ImageTreeWriter.Tree(folder.File("data"), ["a", "b"], 6);
        float[] Epoch(int workers, long seed, int epoch)
        {
            using var train = ImageFolderDataset.Open(Path.Combine(root, "train"), new ImageFolderOptions { ImageSize = 12, Workers = workers, Prefetch = 1 });
            using var loader = new BatchLoader(train, 4, shuffle: true, augment: true, seed: seed);
            return loader.Epoch(epoch).SelectMany(batch => batch.Inputs.data<float>().ToArray()).ToArray();
        }

        var one = Epoch(1, 9, 2);
        Assert.Equal(one, Epoch(3, 9, 2));
        Assert.NotEqual(one, Epoch(1, 10, 2));
        Assert.NotEqual(one, Epoch(1, 9, 3));
    }

    [Fact]
    public void AResumedEpochSeesTheSameBatches()
    {
        var root = ImageTreeWriter.Tree(folder.File("data"), ["a", "b"], 6);
        using var train = ImageFolderDataset.Open(Path.Combine(root, "train"), new ImageFolderOptions { ImageSize = 12 });
        using var loader = new BatchLoader(train, 4, shuffle: true, augment: true, seed: 1);

        var whole = loader.Epoch(1).Select(batch => batch.Inputs.data<float>().ToArray()).ToList()[2];
        var resumed = loader.Epoch(1, skipBatches: 2).Select(batch => batch.Inputs.data<float>().ToArray()).ToList()[0];

        Assert.Equal(whole, resumed);
    }

    [Fact]
    public void ABadImageStopsWithItsNameOrIsSkippedAndCounted()
    {
        var root = ImageTreeWriter.Tree(folder.File("data"), ["a", "b"], 3);
        var bad = Path.Combine(root, "train", "b", "img001.png");
        File.WriteAllBytes(bad, File.ReadAllBytes(bad)[..40]);

        using (var strict = ImageFolderDataset.Open(Path.Combine(root, "train"), new ImageFolderOptions { ImageSize = 8 }))
        using (var loader = new BatchLoader(strict, 6))
        {
            var error = Assert.Throws<BadImageException>(() => loader.Epoch(0).ToList());
            Assert.Equal(bad, error.Path);
        }

        using var lenient = ImageFolderDataset.Open(Path.Combine(root, "train"), new ImageFolderOptions { ImageSize = 8, SkipBadImages = true });
        using var skipping = new BatchLoader(lenient, 6);
        var (skipped, labels, indices) = skipping.Epoch(0).Select(batch => (batch.Skipped, batch.Labels.data<long>().ToArray(), batch.Indices.data<long>().ToArray())).Single();
        Assert.Equal(1, skipped);
        Assert.Equal([0L, 0, 0, 1, 1], labels);
        Assert.Equal([0L, 1, 2, 3, 5], indices);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void ABatchKeptPastItsIterationSaysTheLoaderDisposedIt(int prefetch)
    {
        // The documented contract, not a race: First() ends the enumeration, and the loader frees the batch it handed out.
        var root = ImageTreeWriter.Tree(folder.File("data"), ["a", "b"], 6);
        using var train = ImageFolderDataset.Open(Path.Combine(root, "train"), new ImageFolderOptions { ImageSize = 8 });
        using var loader = new BatchLoader(train, 2, shuffle: true, prefetch: prefetch);

        var kept = loader.Epoch(0).Skip(2).First();
        var error = Assert.Throws<ObjectDisposedException>(() => kept.Inputs.shape);

        Assert.Contains("batch 2 of epoch 0 was disposed by its BatchLoader", error.Message);
        Assert.Equal(0, train.DecodedBatches.Live);
        var inLoop = loader.Epoch(0).Select(batch => batch.Inputs.sum().item<float>()).ToList();
        Assert.Equal(6, inLoop.Count);
    }

    [Theory]
    [InlineData(false, 24)]
    [InlineData(true, 24)]
    [InlineData(true, 25)] // an odd size: the RGBA resize sums pixels in pairs, the last one alone
    public void TheLoaderDecodingOnlyTheCropsBandGivesThePixelsOfTheWholeImage(bool augment, int size)
    {
        // JPEGs of odd sizes, decoded by the pipeline as a band of rows and columns (scaled in the DCT where the crop
        // allows), against the public path: the whole image decoded, then the same crop resized.
        var sizes = new[] { (301, 203), (97, 250), (160, 120), (413, 77), (64, 64), (255, 333) };
        for (var i = 0; i < sizes.Length; i++)
            ImageTreeWriter.Write(folder.File($"band/{(i % 2 == 0 ? "a" : "b")}/img{i}.jpg"), sizes[i].Item1, sizes[i].Item2,
                (x, y) => ((byte)((x * 3 + y) % 256), (byte)((x * y) % 251), (byte)((x ^ y) * 5 % 256)));
        var options = new ImageFolderOptions { ImageSize = size, Workers = 2 };
        using var data = ImageFolderDataset.Open(folder.File("band"), options);
        using var loader = new BatchLoader(data, 3, shuffle: true, augment: augment, seed: 5);
        var transform = augment ? data.TrainingTransform : data.EvaluationTransform;

        for (var epoch = 0; epoch < 4; epoch++)
        {
            foreach (var batch in loader.Epoch(epoch))
            {
                var indices = batch.Indices.data<long>().ToArray();
                for (var i = 0; i < indices.Length; i++)
                {
                    var path = data.Index.Files[(int)indices[i]].Path;
                    var (width, height) = sizes[int.Parse(Path.GetFileNameWithoutExtension(path)[3..])];
                    var (box, flip) = augment ? ImageTransform.RandomResizedCrop(width, height, loader.Seed, epoch, indices[i]) : (transform.EvaluationBox(width, height), false);
                    var minShortSide = (int)Math.Ceiling((double)size * Math.Min(width, height) / Math.Min(box.Width, box.Height));
                    var pixels = new byte[3 * size * size];
                    transform.Render(ImageDecoder.Decode(path, 3, minShortSide), box, flip, pixels);
                    using var expected = data.Normalization.Normalize(tensor(pixels, [1, 3, size, size]));
                    Assert.Equal(expected.data<float>().ToArray(), batch.Inputs[i].data<float>().ToArray());
                }
            }
        }
    }

    [Fact]
    public void MaterializedEqualsTheStreamedEvaluationBatches()
    {
        var root = ImageTreeWriter.Tree(folder.File("data"), ["a", "b", "c"], 2);
        using var val = ImageFolderDataset.Open(Path.Combine(root, "val"), new ImageFolderOptions { ImageSize = 10, Channels = 1 }, ["a", "b", "c"]);

        using var inMemory = val.Materialize();
        using var loader = new BatchLoader(val, 100);
        using var expected = inMemory.Normalization.Normalize(inMemory.Images);

        Assert.Equal([6, 1, 10, 10], inMemory.Images.shape);
        Assert.Equal(expected.data<float>().ToArray(), loader.Epoch(0).Select(batch => batch.Inputs.data<float>().ToArray()).Single());
        Assert.Equal(Normalization.ImageNetGrey.Mean, inMemory.Normalization.Mean);
    }

    [Fact]
    public void EvaluationRunsOnAFolder()
    {
        var root = ImageTreeWriter.Tree(folder.File("data"), ["a", "b"], 2);
        using var val = ImageFolderDataset.Open(Path.Combine(root, "val"), new ImageFolderOptions { ImageSize = 8 });
        using var model = TorchSharp.torch.nn.Sequential(TorchSharp.torch.nn.Flatten(), TorchSharp.torch.nn.Linear(3 * 8 * 8, 2));

        var (loss, accuracy) = Evaluation.Evaluate(model, val, 3, CPU, channelsLast: false);

        Assert.True(double.IsFinite(loss));
        Assert.InRange(accuracy, 0, 1);
    }
}
