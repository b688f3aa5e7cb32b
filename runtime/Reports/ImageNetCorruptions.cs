namespace NfmGen.Reports;

/// <summary>
/// The corruptions of ImageNet-C (Hendrycks and Dietterich, "Benchmarking Neural Network Robustness to Common
/// Corruptions and Perturbations", ICLR 2019) and AlexNet's errors on them, the reference that normalises the
/// corruption error (CE) and its mean (mCE).
/// </summary>
/// <remarks>
/// AlexNet's errors are its top-1 error on each corruption averaged over severities 1-5, as fractions, from
/// <c>ALEXNET_ERR</c> in google-research/augmix <c>imagenet.py</c> (commit 202cf4c8, "Raw AlexNet errors taken from
/// https://github.com/hendrycks/robustness"), the figures behind the paper's Table 1 (AlexNet = 100 mCE). Since
/// every corruption has the same five severities, Σ_s E^AlexNet_{s,c} = 5 × these means. AlexNet's clean error is
/// torchvision's AlexNet (the weights the ImageNet-C test script loads): top-1 accuracy 56.522%
/// (pytorch/vision <c>torchvision/models/alexnet.py</c>, <c>AlexNet_Weights.IMAGENET1K_V1</c>), the paper's 43.5%.
/// </remarks>
internal static class ImageNetCorruptions
{
    /// <summary>The number of severities of every corruption.</summary>
    public const int SeverityCount = 5;

    // The 15 benchmark corruptions in the paper's order (noise, blur, weather, digital), each with AlexNet's mean error.
    private static readonly (string Name, double AlexNetError)[] benchmark =
    [
        ("gaussian_noise", 0.886428), ("shot_noise", 0.894468), ("impulse_noise", 0.922640),
        ("defocus_blur", 0.819880), ("glass_blur", 0.826268), ("motion_blur", 0.785948), ("zoom_blur", 0.798360),
        ("snow", 0.866816), ("frost", 0.826572), ("fog", 0.819324), ("brightness", 0.564592),
        ("contrast", 0.853204), ("elastic_transform", 0.646056), ("pixelate", 0.717840), ("jpeg_compression", 0.606500),
    ];

    private static readonly string[] names = [.. benchmark.Select(c => c.Name), "speckle_noise", "gaussian_blur", "spatter", "saturate"];

    /// <summary>The 15 benchmark corruptions that mCE averages over, in the paper's order.</summary>
    public static IReadOnlyList<string> Benchmark { get; } = Array.AsReadOnly(benchmark.Select(c => c.Name).ToArray());

    /// <summary>
    /// The 15 benchmark corruptions, then the 4 extra ones the data set ships (held out: evaluated, but without an
    /// AlexNet reference and outside mCE).
    /// </summary>
    public static IReadOnlyList<string> Names { get; } = Array.AsReadOnly(names);

    /// <summary>AlexNet's top-1 clean error on ImageNet's validation set, as a fraction (torchvision's weights: 1 - 0.56522).</summary>
    public const double AlexNetCleanError = 1 - 0.56522;

    /// <summary>AlexNet's top-1 error on <paramref name="corruption"/>, averaged over severities 1-5; null for a corruption outside <see cref="Benchmark"/>.</summary>
    public static double? AlexNetError(string corruption)
    {
        int index = Array.FindIndex(benchmark, c => c.Name == corruption);
        return index < 0 ? null : benchmark[index].AlexNetError;
    }

    /// <summary>The position of <paramref name="corruption"/> in <see cref="Names"/>, or -1.</summary>
    internal static int IndexOf(string corruption) => Array.IndexOf(names, corruption);
}
