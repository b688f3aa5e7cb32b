using SkiaSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace NfmGen.Tests.Prediction;

/// <summary>Small image files written by the tests, and a model that tells dark pictures from bright ones.</summary>
internal static class TestPictures
{
    /// <summary>Writes a <paramref name="width"/> x <paramref name="height"/> picture of one grey level (PNG, or JPEG by the extension).</summary>
    public static string Write(string path, byte grey, int width = 20, int height = 14)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(new SKColor(grey, grey, grey));
        using var image = SKImage.FromBitmap(bitmap);
        var format = path.EndsWith(".png", StringComparison.OrdinalIgnoreCase) ? SKEncodedImageFormat.Png : SKEncodedImageFormat.Jpeg;
        using var data = image.Encode(format, 95);
        File.WriteAllBytes(path, data.ToArray());
        return path;
    }

    /// <summary>Writes a file with an image's extension that holds no image.</summary>
    public static string WriteBad(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "not an image");
        return path;
    }

    /// <summary>Classes "dark" (0) and "bright" (1): the logits are -4m and 4m for the mean m of the normalised input.</summary>
    public sealed class BrightnessClassifier() : nn.Module<Tensor, Tensor>(nameof(BrightnessClassifier))
    {
        public override Tensor forward(Tensor input)
        {
            var mean = input.mean([1, 2, 3]);
            return stack([mean * -4, mean * 4], 1);
        }
    }
}
