using NfmGen.Data.Tables;
using NfmGen.Robustness;
using static TorchSharp.torch;

namespace NfmGen.Tests.Data.Tables;

/// <summary><see cref="TableNoise"/>: noise on the numeric inputs only, and feature drop that fills whole columns as training filled them.</summary>
public sealed class TableNoiseTests : IDisposable
{
    private readonly TempDirectory folder = new();
    private readonly CsvDataset train;
    private readonly CsvDataset test;

    public TableNoiseTests()
    {
        var path = folder.File("rows.csv");
        var random = new Random(5);
        var lines = new[] { "a,color,b,label" }.Concat(Enumerable.Range(0, 400).Select(i =>
            FormattableString.Invariant($"{random.NextDouble() * 10},{(i % 3 == 0 ? "red" : i % 3 == 1 ? "green" : "blue")},{random.Next(100)},{i % 2}")));
        File.WriteAllLines(path, lines);
        (train, test) = CsvDataset.Open(path, new CsvOptions("label") { Categorical = ["color"], TestFraction = 0.5 });
    }

    public void Dispose()
    {
        train.Dispose();
        test.Dispose();
        folder.Dispose();
    }

    [Fact]
    public void White_noise_moves_the_numeric_inputs_by_sigma_and_leaves_one_hot_inputs_alone()
    {
        using var table = new TableNoise(test.Schema, CPU);
        using var generator = new TorchSharp.torch.Generator(1, CPU);

        using var noisy = table.AddNoise(test.Features, 0.5, generator);
        using var change = noisy - test.Features;

        // Inputs: a, then color's three (blue, green, red), then b.
        Assert.Equal(0, change.narrow(1, 1, 3).abs().max().item<float>());
        foreach (var numeric in new[] { 0, 4 })
            Assert.InRange(change.select(1, numeric).std().item<float>(), 0.45, 0.55);
    }

    [Fact]
    public void Feature_drop_fills_whole_columns_at_its_rate_with_the_training_mean()
    {
        using var table = new TableNoise(test.Schema, CPU);
        using var generator = new TorchSharp.torch.Generator(2, CPU);
        using var fill = tensor(test.Schema.FillRow());

        using var none = table.Drop(test.Features, 0, generator);
        using var all = table.Drop(test.Features, 1, generator);
        using var some = table.Drop(test.Features, 0.3, generator);

        Assert.True(none.equal(test.Features).all().item<bool>());
        Assert.True(all.equal(fill.expand_as(all)).all().item<bool>());
        // No imputation at training: the fill is the training mean, 0 for a standardised number, the frequencies for a category.
        Assert.Equal(0, fill[0].item<float>());
        Assert.Equal(1, fill.narrow(0, 1, 3).sum().item<float>(), 5);
        // A one-hot column is dropped whole: its three inputs equal the fill together, or not at all.
        using var colorDropped = some.narrow(1, 1, 3).eq(fill.narrow(0, 1, 3)).all(1);
        using var colorKept = some.narrow(1, 1, 3).eq(test.Features.narrow(1, 1, 3)).all(1);
        Assert.True(colorDropped.logical_or(colorKept).all().item<bool>());
        var rate = colorDropped.to_type(ScalarType.Float32).mean().item<float>();
        Assert.InRange(rate, 0.22, 0.38);
    }
}
