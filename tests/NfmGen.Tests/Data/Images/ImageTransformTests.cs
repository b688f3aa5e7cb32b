using NfmGen.Data;
using NfmGen.Data.Images;

namespace NfmGen.Tests.Data.Images;

public sealed class ImageTransformTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    [Theory]
    [InlineData(224, 256)]
    [InlineData(32, 37)]
    [InlineData(299, 342)]
    public void EvaluationResizesTheShortSideTo256Over224OfTheSize(int size, int resize)
    {
        Assert.Equal(resize, ImageTransform.Evaluation(size, Normalization.ImageNet, 3).ResizeSize);
    }

    [Fact]
    public void EvaluationBoxIsTheCentreCropOfTheResizedImage()
    {
        var transform = ImageTransform.Evaluation(224, Normalization.ImageNet, 3);

        // 500x375 → 341x256 (torchvision: int(256 * 500 / 375)); crop at left round(117 / 2) = 58 (banker's), top 16.
        var box = transform.EvaluationBox(500, 375);

        var scale = 500.0 / 341;
        Assert.Equal(58 * scale, box.Left, 9);
        Assert.Equal(16 * (375.0 / 256), box.Top, 9);
        Assert.Equal(224 * scale, box.Width, 9);
    }

    [Fact]
    public void ApplyGivesNormalisedChwOfTheSize()
    {
        var path = ImageTreeWriter.Solid(folder.File("white.png"), 50, 40, 255, 255, 255);
        var transform = ImageTransform.Evaluation(16, Normalization.ImageNet, 3);

        using var input = transform.Apply(ImageDecoder.Decode(path, 3));

        Assert.Equal([3, 16, 16], input.shape);
        for (var c = 0; c < 3; c++)
        {
            var white = (1 - Normalization.ImageNet.Mean[c]) / Normalization.ImageNet.Std[c];
            Assert.Equal(white, input[c].min().item<float>(), 4);
            Assert.Equal(white, input[c].max().item<float>(), 4);
        }
    }

    [Fact]
    public void ResizingKeepsAGradientOrderedAndFlipMirrorsIt()
    {
        var path = ImageTreeWriter.Write(folder.File("ramp.png"), 64, 64, (x, _) => ((byte)(x * 4), (byte)(x * 4), (byte)(x * 4)));
        var image = ImageDecoder.Decode(path, 3);
        var transform = ImageTransform.Training(16, Normalization.ImageNet, 3);
        var plain = new byte[3 * 16 * 16];
        var flipped = new byte[3 * 16 * 16];

        transform.Render(image, new CropBox(0, 0, 64, 64), flip: false, plain);
        transform.Render(image, new CropBox(0, 0, 64, 64), flip: true, flipped);

        var row = plain.AsSpan(0, 16).ToArray();
        Assert.Equal(row.Order(), row);
        Assert.InRange((int)row[0], 4, 12);          // mean of x*4 over the first 4 columns is 6, the filter reaches a little further
        Assert.InRange((int)row[15], 242, 252);
        Assert.Equal(row.Reverse(), flipped.AsSpan(0, 16).ToArray());
    }

    [Theory]
    [InlineData(500, 375)]
    [InlineData(64, 256)]
    [InlineData(33, 31)]
    public void RandomResizedCropsStayInTheirScaleAndRatioRangesAndCoverThem(int width, int height)
    {
        var scales = new List<double>();
        var ratios = new List<double>();
        for (var i = 0; i < 4000; i++)
        {
            var (box, _) = ImageTransform.RandomResizedCrop(width, height, 7, 0, i);
            Assert.InRange(box.Left, 0, width - box.Width);
            Assert.InRange(box.Top, 0, height - box.Height);
            Assert.True(box.Width >= 1 && box.Height >= 1);
            scales.Add(box.Width * box.Height / (width * (double)height));
            ratios.Add(box.Width / box.Height);
        }

        // Rounding to whole pixels moves a crop's ratio and area a little beyond the drawn ranges on small images.
        var slack = 2.5 / Math.Min(width, height);
        Assert.All(scales, scale => Assert.InRange(scale, 0.08 * (1 - 2 * slack), 1.0));
        Assert.All(ratios, ratio => Assert.InRange(ratio, 0.75 * (1 - slack), 4.0 / 3.0 * (1 + slack)));
        Assert.True(scales.Min() < 0.1, $"smallest scale {scales.Min()}");
        // The largest crop allowed: the whole image, or the longest side cut to the ratio range.
        var largest = Math.Min(1.0, Math.Min(width, height) / (double)Math.Max(width, height) / 0.75);
        Assert.True(scales.Max() > 0.85 * largest, $"largest scale {scales.Max()} of {largest}");
        Assert.True(ratios.Min() < 0.8 && ratios.Max() > 1.25, $"ratios {ratios.Min()}..{ratios.Max()}");
    }

    [Fact]
    public void AreaFractionIsUniformOverTheDrawsThatFit()
    {
        // On a large square image a draw fits when its area fraction s is at most min(r, 1/r) for its ratio r, and a
        // draw that does not fit is drawn again: the crops' mean area is that of s uniform on [0.08, 1] conditioned on
        // fitting, with log r uniform on [log 3/4, log 4/3] (integrated numerically here).
        double weighted = 0, total = 0;
        for (var k = 0; k < 10000; k++)
        {
            var ratio = Math.Exp(Math.Log(0.75) + (k + 0.5) / 10000 * (Math.Log(4.0 / 3) - Math.Log(0.75)));
            var top = Math.Min(1, Math.Min(ratio, 1 / ratio));
            weighted += (top * top - 0.08 * 0.08) / 2;
            total += top - 0.08;
        }
        var scales = Enumerable.Range(0, 20000).Select(i =>
        {
            var (box, _) = ImageTransform.RandomResizedCrop(2000, 2000, 3, 1, i);
            return box.Width * box.Height / 4e6;
        }).ToList();

        Assert.Equal(weighted / total, scales.Average(), 2);
        Assert.InRange(scales.Min(), 0.08 - 0.001, 0.085);
    }

    [Theory]
    [InlineData(1000, 10, 13, 10)]   // too wide: height kept, width = round(10 * 4/3)
    [InlineData(10, 1000, 10, 13)]   // too tall: width kept, height = round(10 / (3/4))
    public void WhenNoDrawFitsTheCropIsTheCentreClampedToTheRatioRange(int width, int height, int cropWidth, int cropHeight)
    {
        var (box, _) = ImageTransform.RandomResizedCrop(width, height, 1, 0, 0);

        Assert.Equal(new CropBox((width - cropWidth) / 2, (height - cropHeight) / 2, cropWidth, cropHeight), box);
    }

    [Fact]
    public void FlipsAreDrawnHalfTheTimeAndEachDrawIsAPureFunctionOfSeedEpochAndIndex()
    {
        var flips = Enumerable.Range(0, 4000).Count(i => ImageTransform.RandomResizedCrop(100, 80, 5, 2, i).Flip);

        Assert.InRange(flips, 1850, 2150);
        Assert.Equal(ImageTransform.RandomResizedCrop(100, 80, 5, 2, 17), ImageTransform.RandomResizedCrop(100, 80, 5, 2, 17));
        Assert.NotEqual(ImageTransform.RandomResizedCrop(100, 80, 5, 2, 17).Box, ImageTransform.RandomResizedCrop(100, 80, 5, 3, 17).Box);
    }

    [Fact]
    public void TheTrainingTransformCannotBeAppliedWithoutASample()
    {
        var path = ImageTreeWriter.Solid(folder.File("a.png"), 8, 8, 1, 1, 1);

        Assert.Throws<InvalidOperationException>(() => ImageTransform.Training(8, Normalization.ImageNet, 3).Apply(ImageDecoder.Decode(path, 3)));
    }
}
