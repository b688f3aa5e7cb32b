namespace NfmGen.Data.Images;

/// <summary>A rectangle of an image in pixels of its full-scale, upright version: left, top, width, height.</summary>
internal readonly record struct CropBox(double Left, double Top, double Width, double Height);
