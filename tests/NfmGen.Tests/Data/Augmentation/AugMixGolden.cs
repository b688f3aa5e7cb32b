using NfmGen.Data.Augmentation;

namespace NfmGen.Tests.Data.Augmentation;

/// <summary>
/// What <c>tools/augmix_reference.py golden</c> wrote to <c>Golden/augmix.npz</c> from a transcription of
/// google-research/augmix and erichson/NoisyMix on Debian's Pillow 9.4 and PyTorch: the test images, each operation's
/// output at fixed parameters, the level scaling, mixtures with given draws, JSD losses and NoisyMix's view mixing.
/// </summary>
internal static class AugMixGolden
{
    private static readonly Lazy<Dictionary<string, NpyArray>> Arrays = new(() =>
        NpyArray.ReadNpz(Path.Combine(RepositoryPaths.Root, "tests", "NfmGen.Tests", "Data", "Augmentation", "Golden", "augmix.npz")));

    /// <summary>The file's names of the operations, in <see cref="AugMixOperation"/>'s order (the reference's).</summary>
    public static IReadOnlyList<string> OperationNames { get; } =
        ["autocontrast", "equalize", "posterize", "rotate", "solarize", "shear_x", "shear_y", "translate_x", "translate_y", "color", "contrast", "brightness", "sharpness"];

    /// <summary>The number of test images.</summary>
    public const int ImageCount = 4;

    public static NpyArray Get(string key) => Arrays.Value[key];

    public static bool Has(string key) => Arrays.Value.ContainsKey(key);

    /// <summary>Test image <paramref name="index"/> as the datasets hold images: planar <c>[C, H, W]</c> bytes, with its shape.</summary>
    public static (byte[] Pixels, PlanarImage Shape) Image(int index) => Planar(Get($"image_{index}"));

    /// <summary>A PIL image array (<c>[H, W]</c> or <c>[H, W, C]</c>) as planar bytes.</summary>
    public static (byte[] Pixels, PlanarImage Shape) Planar(NpyArray array)
    {
        var (height, width) = ((int)array.Shape[0], (int)array.Shape[1]);
        var channels = array.Shape.Length == 3 ? (int)array.Shape[2] : 1;
        var shape = new PlanarImage(channels, height, width);
        var planar = new byte[shape.Bytes];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                for (var c = 0; c < channels; c++)
                    planar[c * shape.Plane + y * width + x] = array.Data[(y * width + x) * channels + c];
        return (planar, shape);
    }
}
