using System.Globalization;
using System.Text;
using System.Text.Json;
using NfmGen.Reports;
using NfmGen.Training;

namespace NfmGen.Analysis;

/// <summary>A <see cref="SmoothnessReport"/> as a terminal table, Markdown, CSV or JSON.</summary>
internal static class SmoothnessRenderer
{
    /// <summary>Each measure's column header.</summary>
    public static IReadOnlyDictionary<SmoothnessMeasure, string> Headers { get; } = new Dictionary<SmoothnessMeasure, string>
    {
        [SmoothnessMeasure.JacobianNorm] = "‖J‖²",
        [SmoothnessMeasure.SoftmaxJacobian] = "tr JᵀHJ",
        [SmoothnessMeasure.MultiplicativeJacobian] = "tr (Jh)ᵀH(Jh)",
        [SmoothnessMeasure.LossHessianTrace] = "tr ∇²L",
        [SmoothnessMeasure.JacobianChange] = "‖ΔJ‖²/‖δ‖²",
    };

    public static string Render(SmoothnessReport report, ReportFormat format) => format switch
    {
        ReportFormat.Json => JsonSerializer.Serialize(report, TrainingJson.Options),
        ReportFormat.Csv => Csv(report),
        _ => Table(report, markdown: format == ReportFormat.Markdown),
    };

    private static string Table(SmoothnessReport report, bool markdown)
    {
        var text = new StringBuilder();
        text.AppendLine(Invariant($"{report.Network} on {report.Data}: {report.Points} points, J {(report.ExactJacobian ? "exact" : $"by {report.Probes} projections")}, {report.Probes} Hutchinson probes; mean [95% bootstrap interval]"));
        foreach (var (title, pick) in new (string, Func<MixPointSmoothness, IReadOnlyDictionary<SmoothnessMeasure, SmoothnessEstimate>>)[]
                 {
                     ("as trained", point => point.Measures),
                     (Invariant($"logits / T, T = {report.Temperature:0.###} (fitted on half of the points, measured on the other half)"), point => point.TemperatureScaled),
                 })
        {
            text.AppendLine().AppendLine(title);
            string[] header = ["k", "layer", .. Headers.Values];
            var rows = report.MixPoints.Select(point => (string[])[point.MixPoint.ToString(CultureInfo.InvariantCulture), point.Layer,
                .. Enum.GetValues<SmoothnessMeasure>().Select(measure => Format(pick(point)[measure]))]).ToList();
            if (markdown)
            {
                text.AppendLine("| " + string.Join(" | ", header) + " |");
                text.AppendLine("|" + string.Concat(header.Select((_, i) => i < 2 ? "---|" : "---:|")));
                foreach (var row in rows)
                    text.AppendLine("| " + string.Join(" | ", row) + " |");
            }
            else
            {
                var widths = header.Select((h, i) => rows.Select(row => row[i].Length).Append(h.Length).Max()).ToArray();
                text.AppendLine(string.Join("  ", header.Select((h, i) => h.PadRight(widths[i]))).TrimEnd());
                foreach (var row in rows)
                    text.AppendLine(string.Join("  ", row.Select((cell, i) => i < 2 ? cell.PadRight(widths[i]) : cell.PadLeft(widths[i]))).TrimEnd());
            }
        }
        text.AppendLine().AppendLine("For a network that is piecewise linear in h_k (ReLU) in eval mode, tr ∇²L equals tr JᵀHJ: ‖ΔJ‖²/‖δ‖², how fast J changes, is its curvature.");
        return text.ToString();
    }

    private static string Csv(SmoothnessReport report)
    {
        var text = new StringBuilder("mix_point,layer,measure,temperature_scaled,mean,lower,upper,temperature,points\n");
        foreach (var point in report.MixPoints)
            foreach (var (scaled, values) in new[] { (false, point.Measures), (true, point.TemperatureScaled) })
                foreach (var (measure, estimate) in values.OrderBy(pair => pair.Key))
                    text.AppendLine(Invariant($"{point.MixPoint},{point.Layer},{measure},{(scaled ? "true" : "false")},{estimate.Mean:R},{estimate.Lower:R},{estimate.Upper:R},{report.Temperature:R},{report.Points}"));
        return text.ToString();
    }

    private static string Format(SmoothnessEstimate estimate) => Invariant($"{estimate.Mean:G3} [{estimate.Lower:G3}, {estimate.Upper:G3}]");

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
