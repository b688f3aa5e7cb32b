namespace NfmGen.Data.Augmentation;

/// <summary>
/// AugMix's operations (Hendrycks et al., ICLR 2020; google-research/augmix, <c>augmentations.py</c>), in the
/// reference's order: the first nine are its default list, all thirteen its <c>--all-ops</c> list. The last four overlap
/// with ImageNet-C's corruptions, which is why the reference leaves them out by default.
/// </summary>
public enum AugMixOperation
{
    /// <summary>PIL's <c>ImageOps.autocontrast</c>: each channel stretched to 0..255.</summary>
    AutoContrast,

    /// <summary>PIL's <c>ImageOps.equalize</c>: each channel's histogram equalised.</summary>
    Equalize,

    /// <summary>PIL's <c>ImageOps.posterize</c>: 4 down to 1 bits kept, as the level rises.</summary>
    Posterize,

    /// <summary>PIL's <c>Image.rotate</c>, bilinear, about the centre: up to ±30 degrees at level 10.</summary>
    Rotate,

    /// <summary>PIL's <c>ImageOps.solarize</c>: pixels at or above a threshold inverted; the threshold falls from 256 as the level rises.</summary>
    Solarize,

    /// <summary>A horizontal shear, bilinear: up to ±0.3 at level 10.</summary>
    ShearX,

    /// <summary>A vertical shear, bilinear: up to ±0.3 at level 10.</summary>
    ShearY,

    /// <summary>A horizontal shift, bilinear: up to ±a third of the image at level 10.</summary>
    TranslateX,

    /// <summary>A vertical shift, bilinear: up to ±a third of the image at level 10.</summary>
    TranslateY,

    /// <summary>PIL's <c>ImageEnhance.Color</c> (saturation), factor 0.1 to 1.9 (all operations only).</summary>
    Color,

    /// <summary>PIL's <c>ImageEnhance.Contrast</c>, factor 0.1 to 1.9 (all operations only).</summary>
    Contrast,

    /// <summary>PIL's <c>ImageEnhance.Brightness</c>, factor 0.1 to 1.9 (all operations only).</summary>
    Brightness,

    /// <summary>PIL's <c>ImageEnhance.Sharpness</c>, factor 0.1 to 1.9 (all operations only).</summary>
    Sharpness,
}
