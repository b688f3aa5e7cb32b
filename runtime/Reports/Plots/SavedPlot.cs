namespace NfmGen.Reports.Plots;

/// <summary>A PNG file that a plot was saved to.</summary>
/// <param name="Path">The file.</param>
/// <param name="Width">Its width in pixels.</param>
/// <param name="Height">Its height in pixels.</param>
internal sealed record SavedPlot(string Path, int Width, int Height);
