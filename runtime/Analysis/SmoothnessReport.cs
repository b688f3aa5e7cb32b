namespace NfmGen.Analysis;

/// <summary>A mean over test points with its 95% bootstrap interval (percentiles of the resampled means).</summary>
/// <param name="Mean">The mean over the points.</param>
/// <param name="Lower">The interval's lower end.</param>
/// <param name="Upper">The interval's upper end.</param>
public sealed record SmoothnessEstimate(double Mean, double Lower, double Upper);

/// <summary>The measures at one mix point: as the network computes, and with its logits divided by the fitted temperature.</summary>
/// <param name="MixPoint">The mix point k (0 is the input).</param>
/// <param name="Layer">What precedes it: <c>input</c> or the layer's name.</param>
/// <param name="Measures">Each measure over all the points.</param>
/// <param name="TemperatureScaled">Each measure with logits/T, over the half of the points that did not fit T.</param>
public sealed record MixPointSmoothness(
    int MixPoint, string Layer, IReadOnlyDictionary<SmoothnessMeasure, SmoothnessEstimate> Measures,
    IReadOnlyDictionary<SmoothnessMeasure, SmoothnessEstimate> TemperatureScaled);

/// <summary>What <see cref="SmoothnessAnalysis.Run"/> measured.</summary>
/// <param name="Network">The network's name.</param>
/// <param name="Data">The data's name.</param>
/// <param name="Points">The test points measured.</param>
/// <param name="Temperature">T, fitted by the cross-entropy of logits/T on half of the points.</param>
/// <param name="ExactJacobian">Whether J_k was exact (few classes) or estimated by projections.</param>
/// <param name="Probes">The probes per point.</param>
/// <param name="MixPoints">The measures at each mix point, in order.</param>
public sealed record SmoothnessReport(
    string Network, string Data, int Points, double Temperature, bool ExactJacobian, int Probes, IReadOnlyList<MixPointSmoothness> MixPoints)
{
    /// <summary>The options it was measured with (null in a report read from before they were recorded).</summary>
    public SmoothnessOptions? Options { get; init; }
}
