using System.Reflection;
using ScottPlot;
using SkiaSharp;

namespace NfmGen.Reports.Plots;

/// <summary>
/// The font every plot uses: DejaVu Sans, embedded in this assembly (licence: Fonts/LICENSE.txt), so that text renders
/// the same everywhere, including machines without any font installed (where Skia finds no typeface and ScottPlot
/// would draw no text at all).
/// </summary>
internal static class PlotFonts
{
    /// <summary>The family name the embedded font is registered under; unique, so a system font never stands in.</summary>
    public const string Family = "NfmGen DejaVu Sans";

    private static readonly Lazy<byte[]> Regular = new(() => Resource("DejaVuSans.ttf"));
    private static readonly Lazy<byte[]> Bold = new(() => Resource("DejaVuSans-Bold.ttf"));

    // ScottPlot's resolver list is global; register once, thread-safely, on first use.
    private static readonly Lazy<bool> Registered = new(() =>
    {
        lock (Fonts.FontResolvers)
            Fonts.FontResolvers.Insert(0, new EmbeddedFontResolver());
        return true;
    });

    /// <summary>Sets every text of <paramref name="plot"/> (title, axes, ticks, legend) in the embedded font.</summary>
    public static void Apply(Plot plot)
    {
        _ = Registered.Value;
        plot.Font.Set(Family);
        plot.Legend.FontName = Family;
        // Without this the legend may swap in a system font for a string it thinks needs one.
        plot.Legend.SetBestFontOnEachRender = false;
    }

    private static byte[] Resource(string file)
    {
        string name = "NfmGen.Reports.Fonts." + file;
        using var stream = typeof(PlotFonts).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"the embedded font {name} is missing from {typeof(PlotFonts).Assembly.GetName().Name}");
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }

    /// <summary>Answers for <see cref="Family"/> only, bold or regular; ScottPlot caches what it returns.</summary>
    private sealed class EmbeddedFontResolver : IFontResolver
    {
        public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing width) =>
            CreateTypeface(fontName, bold: weight >= FontWeight.SemiBold, italic: slant != FontSlant.Upright);

        public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic)
        {
            if (fontName != Family)
                return null;
            using var data = SKData.CreateCopy((bold ? Bold : Regular).Value);
            return SKTypeface.FromData(data);
        }
    }
}
