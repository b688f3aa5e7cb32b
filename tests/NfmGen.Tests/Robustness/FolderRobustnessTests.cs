using NfmGen.Data.Images;
using NfmGen.Robustness;
using NfmGen.Tests.Data.Images;
using TorchSharp;
using static TorchSharp.torch;

namespace NfmGen.Tests.Robustness;

/// <summary>Robustness evaluation on an image folder: streamed one bounded queue of batches at a time, the same row as on the folder decoded into memory.</summary>
public sealed class FolderRobustnessTests : IDisposable
{
    private static readonly IReadOnlyList<PerturbationSpec> Specs = PerturbationSpecParser.ParseAll(["white:0.2,0.5", "sp:0.1", "fgsm:8/255"]);

    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    // 30 images of 3 classes; class k is bright in colour channel k (ImageTreeWriter.Tree).
    private ImageFolderDataset Folder(int prefetch = 2) =>
        ImageFolderDataset.Open(Path.Combine(ImageTreeWriter.Tree(folder.File("data"), ["a", "b", "c"], 10), "train"),
            new ImageFolderOptions { ImageSize = 8, Workers = 2, Prefetch = prefetch });

    // Scores class k by the mean of colour channel k plus seeded random weights: mostly right, and sensitive to every pixel.
    private static nn.Module<Tensor, Tensor> ChannelMeans()
    {
        var linear = nn.Linear(3 * 8 * 8, 3);
        using (no_grad())
        {
            using var generator = new TorchSharp.torch.Generator(7);
            linear.weight!.copy_(randn([3, 3 * 8 * 8], generator: generator).mul_(0.05));
            linear.bias!.zero_();
            for (var k = 0; k < 3; k++)
                linear.weight[k, TensorIndex.Slice(k * 64, (k + 1) * 64)].add_(1.0 / 64);
        }
        return nn.Sequential(nn.Flatten(), linear);
    }

    [Fact]
    public void A_folder_streamed_gives_the_row_of_its_copy_in_memory()
    {
        using var data = Folder();
        using var inMemory = data.Materialize();
        using var model = ChannelMeans();

        var streamed = RobustnessEvaluator.Evaluate("m", model, data, Specs, CPU, seed: 3, batchSize: 4);
        var materialized = RobustnessEvaluator.Evaluate("m", model, inMemory, Specs, CPU, seed: 3, batchSize: 4);

        Assert.True(materialized.Results.Any(r => r.Accuracy != materialized.CleanAccuracy), "some perturbation changes the accuracy: "
            + string.Join(", ", materialized.Results.Select(r => $"{r.Label} {r.Accuracy}")) + $" vs clean {materialized.CleanAccuracy}");
        Assert.Equal(materialized.CleanAccuracy, streamed.CleanAccuracy);
        Assert.Equal(materialized.Results.Select(r => (r.Label, r.Accuracy)), streamed.Results.Select(r => (r.Label, r.Accuracy)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Streaming_holds_no_more_decoded_batches_than_the_queue_the_worker_and_the_consumer(int prefetch)
    {
        using var data = Folder(prefetch);
        using var model = ChannelMeans();

        RobustnessEvaluator.Evaluate("m", model, data, Specs, CPU, seed: 3, batchSize: 2);

        var passes = 1 + 2 + 1 + 1; // clean, white 0.2 and 0.5, sp 0.1, fgsm
        Assert.Equal(passes * 15, data.DecodedBatches.Total); // 30 images in batches of 2, decoded again for each pass
        Assert.InRange(data.DecodedBatches.Peak, 1, prefetch + 2);
        Assert.Equal(0, data.DecodedBatches.Live);
    }

    [Fact]
    public void Materializing_a_folder_over_the_limit_is_refused_with_its_size()
    {
        using var data = Folder();

        var error = Assert.Throws<InvalidOperationException>(() => data.Materialize(maxBytes: 1000));

        Assert.Contains("train: 30 images of [3, 8, 8]", error.Message);
        Assert.Contains("BatchLoader", error.Message);
    }
}
