using System.Runtime.InteropServices;
using NfmGen.Data.Images;
using SkiaSharp;

namespace NfmGen.Tests.Data.Images;

/// <summary>Every kind of file becomes upright RGB or grey: the fixtures are 12x8, red left half, blue right half, a green 2x2 top-left corner.</summary>
public sealed class ImageDecoderTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    [Theory]
    [InlineData("cmyk.jpg")]
    [InlineData("palette.png")]
    [InlineData("transparent.png")]
    [InlineData("exif-orientation-6.jpg")]
    public void ConvertsToUprightRgb(string fixture)
    {
        var image = ImageDecoder.Decode(ImageTreeWriter.Fixture(fixture), 3);

        Assert.Equal((12, 8, 3), (image.Width, image.Height, image.Channels));
        AssertColor(image, 0, 0, (0, 255, 0));
        AssertColor(image, 4, 5, (255, 0, 0));
        AssertColor(image, 10, 5, (0, 0, 255));
    }

    [Fact]
    public void SixteenBitGreyBecomesEightBitRgbAndGrey()
    {
        var rgb = ImageDecoder.Decode(ImageTreeWriter.Fixture("grey16.png"), 3);
        var grey = ImageDecoder.Decode(ImageTreeWriter.Fixture("grey16.png"), 1);

        AssertColor(rgb, 1, 1, (128, 128, 128));
        AssertColor(rgb, 10, 1, (255, 255, 255));
        Assert.Equal((12, 8, 1), (grey.Width, grey.Height, grey.Channels));
        Assert.InRange(grey.Pixels[1 * 12 + 1], 126, 130);
    }

    [Fact]
    public void GreyOfAColourImageIsPilsLuma()
    {
        var path = ImageTreeWriter.Solid(folder.File("c.png"), 3, 2, 200, 100, 50);

        var grey = ImageDecoder.Decode(path, 1);

        // PIL's convert("L"): (299 R + 587 G + 114 B) / 1000 = 124.2
        Assert.All(grey.Pixels, value => Assert.Equal(124, value));
    }

    [Fact]
    public void LargeJpegIsDecodedAtAReducedScaleThatKeepsTheAskedShortSide()
    {
        var path = ImageTreeWriter.Solid(folder.File("big.jpg"), 800, 600, 10, 20, 30);

        var full = ImageDecoder.Decode(path, 3);
        var reduced = ImageDecoder.Decode(path, 3, minShortSide: 140);

        Assert.Equal((800, 600), (full.Width, full.Height));
        Assert.InRange(reduced.Height, 140, 299);
        Assert.Equal((800, 600), (reduced.SourceWidth, reduced.SourceHeight));
    }

    [Fact]
    public void TruncatedFileIsABadImageNamingTheFile()
    {
        var path = ImageTreeWriter.Write(folder.File("cut.jpg"), 64, 64, (x, y) => ((byte)x, (byte)y, 0));
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var error = Assert.Throws<BadImageException>(() => ImageDecoder.Decode(path, 3));

        Assert.Equal(path, error.Path);
        Assert.Contains(path, error.Message);
        Assert.Contains("truncated", error.Message);
    }

    [Theory]
    [InlineData(0, 16)] // columns on the JPEG's blocks: no swizzler, the fill would read the subset's stale pointer
    [InlineData(3, 19)] // columns off them: a swizzler trims libjpeg-turbo's wider rows
    public void ABandOfATruncatedJpegIsNotFilledBySkia(int firstColumn, int endColumn)
    {
        var path = ImageTreeWriter.Write(folder.File("cut-band.jpg"), 128, 128, (x, y) => ((byte)(2 * x), (byte)(2 * y), (byte)(x ^ y)));
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..(int)(new FileInfo(path).Length * 3 / 4)]);
        const int rows = 112, columnCount = 16;
        const byte guard = 0xA5;
        using var codec = SKCodec.Create(path);
        var info = new SKImageInfo(128, 128, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        Assert.Equal(SKCodecResult.Success, codec.StartScanlineDecode(info, ImageDecoder.BandOptions(new SKRectI(firstColumn, 0, endColumn, 128))));
        var buffer = new byte[rows * columnCount * 4];
        Array.Fill(buffer, guard);
        var handle = GCHandle.Alloc(buffer, GCHandleType.Pinned);
        int decoded;
        try
        {
            Assert.True(codec.SkipScanlines(8));
            decoded = codec.GetScanlines(handle.AddrOfPinnedObject(), rows, columnCount * 4);
        }
        finally
        {
            handle.Free();
        }

        Assert.InRange(decoded, 1, rows - 1); // the file ends inside the band
        Assert.All(buffer[(decoded * columnCount * 4)..], b => Assert.Equal(guard, b));
    }

    [Theory]
    [InlineData(60000, 60000)] // 14 GB of RGBA: crashed the process in Skia
    [InlineData(30000, 30000)] // over 2^31 bytes: an arithmetic overflow in the decoder
    [InlineData(13380, 13380)] // just over PIL's error limit (178,956,970 pixels)
    public void AFileDeclaringMorePixelsThanTheLimitIsRefusedBeforeDecoding(int width, int height)
    {
        var path = ImageTreeWriter.DeclaredSizePng(folder.File("bomb.png"), width, height);

        var error = Assert.Throws<BadImageException>(() => ImageDecoder.Decode(path, 3));

        Assert.Equal(path, error.Path);
        Assert.Contains($"declares {width}x{height} = {(long)width * height:N0} pixels, more than the limit of 178,956,970", error.Message);
        Assert.Contains("--max-image-pixels", error.Message);
    }

    [Fact]
    public void ThePixelLimitIsTheCallersAndAtItAFileDecodes()
    {
        var path = ImageTreeWriter.Solid(folder.File("small.png"), 20, 10, 1, 2, 3);

        var decoded = ImageDecoder.Decode(path, 3, maxPixels: 200);
        Assert.Equal((20, 10), (decoded.Width, decoded.Height));
        Assert.Contains("more than the limit of 199", Assert.Throws<BadImageException>(() => ImageDecoder.Decode(path, 3, maxPixels: 199)).Message);
        var load = NfmGen.Prediction.PredictionInputs.Evaluation(ImageTransform.Evaluation(8, NfmGen.Data.Normalization.ImageNet, 3, maxPixels: 199));
        Assert.Contains("more than the limit of 199", Assert.Throws<BadImageException>(() => load(path)).Message);
    }

    [Fact]
    public void FileThatIsNoImageIsABadImageNamingTheFile()
    {
        var path = folder.File("text.png");
        File.WriteAllText(path, "this is not a PNG");

        var error = Assert.Throws<BadImageException>(() => ImageDecoder.Decode(path, 3));

        Assert.Contains(path, error.Message);
        Assert.Contains("not an image", error.Message);
    }

    private static void AssertColor(DecodedImage image, int x, int y, (int R, int G, int B) expected)
    {
        var at = (y * image.Width + x) * 3;
        var actual = (image.Pixels[at], image.Pixels[at + 1], image.Pixels[at + 2]);
        Assert.True(
            Math.Abs(actual.Item1 - expected.R) <= 40 && Math.Abs(actual.Item2 - expected.G) <= 40 && Math.Abs(actual.Item3 - expected.B) <= 40,
            $"pixel ({x}, {y}) is {actual}, expected about {expected}");
    }
}
