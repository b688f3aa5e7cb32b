namespace NfmGen.Data.Augmentation;

/// <summary>
/// Each AugMix operation's parameter at a level, and the operation applied with it: <c>augmentations.py</c>'s
/// <c>int_parameter</c>, <c>float_parameter</c> and <c>sample_level</c>, then PIL's operation (pixel for pixel).
/// </summary>
internal static class AugMixOperations
{
    /// <summary>The reference's default list, <c>augmentations.augmentations</c>.</summary>
    public static IReadOnlyList<AugMixOperation> Default { get; } = Array.AsReadOnly(Enum.GetValues<AugMixOperation>()[..9]);

    /// <summary>The reference's <c>augmentations.augmentations_all</c>.</summary>
    public static IReadOnlyList<AugMixOperation> All { get; } = Array.AsReadOnly(Enum.GetValues<AugMixOperation>());

    /// <summary>
    /// The parameter that <paramref name="operation"/> draws at <paramref name="severity"/> from the uniform draw
    /// <paramref name="u"/> in [0, 1) (the level, uniform in [0.1, severity)) and, for the operations that flip a coin
    /// for their sign, from <paramref name="coin"/> in [0, 1) (negative when above 0.5). Autocontrast and equalize take none (0).
    /// </summary>
    public static double Parameter(AugMixOperation operation, int severity, double u, double coin, PlanarImage image)
    {
        var level = 0.1 + (severity - 0.1) * u; // np.random.uniform(low=0.1, high=n)
        var sign = coin > 0.5 ? -1 : 1;
        return operation switch
        {
            AugMixOperation.AutoContrast or AugMixOperation.Equalize => 0,
            AugMixOperation.Posterize => 4 - IntParameter(level, 4),
            AugMixOperation.Rotate => sign * IntParameter(level, 30),
            AugMixOperation.Solarize => 256 - IntParameter(level, 256),
            AugMixOperation.ShearX or AugMixOperation.ShearY => sign * FloatParameter(level, 0.3),
            // IMAGE_SIZE / 3 in the reference, whose images are square; a side's own length here.
            AugMixOperation.TranslateX => sign * IntParameter(level, image.Width / 3.0),
            AugMixOperation.TranslateY => sign * IntParameter(level, image.Height / 3.0),
            _ => FloatParameter(level, 1.8) + 0.1, // the four ImageEnhance operations
        };
    }

    /// <summary>Whether <paramref name="operation"/> draws a level (all but autocontrast and equalize).</summary>
    public static bool DrawsLevel(AugMixOperation operation) => operation is not (AugMixOperation.AutoContrast or AugMixOperation.Equalize);

    /// <summary>Whether <paramref name="operation"/> flips a coin for its parameter's sign.</summary>
    public static bool DrawsSign(AugMixOperation operation) => operation is AugMixOperation.Rotate or AugMixOperation.ShearX
        or AugMixOperation.ShearY or AugMixOperation.TranslateX or AugMixOperation.TranslateY;

    /// <summary>Applies <paramref name="operation"/> with <paramref name="parameter"/> to <paramref name="source"/>, into <paramref name="destination"/> (the same size, not overlapping).</summary>
    public static void Apply(AugMixOperation operation, double parameter, ReadOnlySpan<byte> source, Span<byte> destination, PlanarImage image)
    {
        switch (operation)
        {
            case AugMixOperation.AutoContrast:
                PilLookups.AutoContrast(source, destination, image);
                break;
            case AugMixOperation.Equalize:
                PilLookups.Equalize(source, destination, image);
                break;
            case AugMixOperation.Posterize:
                PilLookups.Posterize(source, destination, (int)parameter);
                break;
            case AugMixOperation.Solarize:
                PilLookups.Solarize(source, destination, (int)parameter);
                break;
            case AugMixOperation.Rotate:
                if (PilAffine.RotationMatrix(parameter, image) is { } rotation)
                    PilAffine.Transform(source, destination, image, rotation);
                else
                    source.CopyTo(destination);
                break;
            case AugMixOperation.ShearX:
                PilAffine.Transform(source, destination, image, [1, parameter, 0, 0, 1, 0]);
                break;
            case AugMixOperation.ShearY:
                PilAffine.Transform(source, destination, image, [1, 0, 0, parameter, 1, 0]);
                break;
            case AugMixOperation.TranslateX:
                PilAffine.Transform(source, destination, image, [1, 0, parameter, 0, 1, 0]);
                break;
            case AugMixOperation.TranslateY:
                PilAffine.Transform(source, destination, image, [1, 0, 0, 0, 1, parameter]);
                break;
            case AugMixOperation.Color:
                PilEnhance.Color(source, destination, image, parameter);
                break;
            case AugMixOperation.Contrast:
                PilEnhance.Contrast(source, destination, image, parameter);
                break;
            case AugMixOperation.Brightness:
                PilEnhance.Brightness(source, destination, image, parameter);
                break;
            case AugMixOperation.Sharpness:
                PilEnhance.Sharpness(source, destination, image, parameter);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(operation), operation, "not an AugMix operation");
        }
    }

    // int(level * maxval / 10) and float(level) * maxval / 10., as Python evaluates them.
    private static int IntParameter(double level, double maximum) => (int)(level * maximum / 10);

    private static double FloatParameter(double level, double maximum) => level * maximum / 10.0;
}
