using SkiaSharp;

namespace NfmGen.Tests.Cli;

/// <summary><c>nfm demo</c> runs with no data and writes real pictures.</summary>
public sealed class DemoTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void DemoPrintsTheTableAndWritesValidNonBlankPictures()
    {
        var result = NfmProcess.Run(folder.Path, "demo", "--epochs", "15", "--out", "demo");

        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (var scheme in new[] { "erm", "noise", "mixup", "manifold-mixup", "nfm" })
            Assert.Contains(scheme, result.Output);
        Assert.Contains("σ 0.4", result.Output);
        foreach (var picture in new[] { "decision-boundaries.png", "robustness.png" })
            AssertRealPicture(folder.File(Path.Combine("demo", picture)));
        Assert.True(File.Exists(folder.File("demo/report.json")));
        Assert.True(File.Exists(folder.File("demo/runs/nfm/checkpoint.bin")));
    }

    private static void AssertRealPicture(string path)
    {
        Assert.True(File.Exists(path), $"{path} is missing");
        using var bitmap = SKBitmap.Decode(path);
        Assert.NotNull(bitmap);
        Assert.True(bitmap.Width >= 400 && bitmap.Height >= 200, $"{path} is {bitmap.Width}x{bitmap.Height}");
        var colors = new HashSet<uint>();
        for (var y = 0; y < bitmap.Height; y += 3)
            for (var x = 0; x < bitmap.Width; x += 3)
                colors.Add((uint)bitmap.GetPixel(x, y));
        Assert.True(colors.Count > 50, $"{path} has only {colors.Count} colours: blank?");
    }
}
