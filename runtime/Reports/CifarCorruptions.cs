namespace NfmGen.Reports;

/// <summary>The corruption names of CIFAR-10-C (Hendrycks and Dietterich, ICLR 2019), in the data set's own order.</summary>
internal static class CifarCorruptions
{
    private static readonly string[] names =
    [
        "gaussian_noise", "shot_noise", "impulse_noise",
        "defocus_blur", "glass_blur", "motion_blur", "zoom_blur",
        "snow", "frost", "fog", "brightness",
        "contrast", "elastic_transform", "pixelate", "jpeg_compression",
        "speckle_noise", "gaussian_blur", "spatter", "saturate",
    ];

    /// <summary>
    /// The 15 benchmark corruptions (noise, blur, weather, digital), then the 4 extra ones the data set ships. Reports
    /// order their CIFAR-10-C columns by this list; names not in it come after, in ordinal order.
    /// </summary>
    public static IReadOnlyList<string> Names { get; } = Array.AsReadOnly(names);

    /// <summary>The position of <paramref name="corruption"/> in <see cref="Names"/>, or -1.</summary>
    internal static int IndexOf(string corruption) => Array.IndexOf(names, corruption);
}
