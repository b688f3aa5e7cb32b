using static TorchSharp.torch;

namespace NfmGen.Tests.Mixing;

/// <summary>
/// Checks of sample moments against their exact values, with a band of <see cref="Z"/> standard errors, so that a
/// wrong formula fails and a right one passes for any seed (false alarm rate below 1e-6).
/// </summary>
internal static class Statistics
{
    public const double Z = 5;

    /// <summary>Asserts that the mean of <paramref name="samples"/> is <paramref name="mean"/>, for a distribution of that <paramref name="variance"/>.</summary>
    public static void AssertMean(IReadOnlyCollection<double> samples, double mean, double variance, string what)
    {
        var actual = samples.Average();
        var tolerance = Z * Math.Sqrt(variance / samples.Count);
        Assert.True(Math.Abs(actual - mean) <= tolerance, $"{what}: mean {actual} is not {mean} ± {tolerance} (n = {samples.Count})");
    }

    /// <summary>
    /// Asserts that the variance of <paramref name="samples"/> is <paramref name="variance"/>, for a distribution with
    /// that fourth central moment <paramref name="fourthCentralMoment"/> (the standard error of s² is √((μ4 − σ⁴)/n)).
    /// </summary>
    public static void AssertVariance(IReadOnlyCollection<double> samples, double variance, double fourthCentralMoment, string what)
    {
        var mean = samples.Average();
        var actual = samples.Sum(x => (x - mean) * (x - mean)) / (samples.Count - 1);
        var tolerance = Z * Math.Sqrt((fourthCentralMoment - variance * variance) / samples.Count);
        Assert.True(Math.Abs(actual - variance) <= tolerance, $"{what}: variance {actual} is not {variance} ± {tolerance} (n = {samples.Count})");
    }

    /// <summary>The values of a tensor, as doubles.</summary>
    public static double[] Values(Tensor tensor) => tensor.to_type(ScalarType.Float64).flatten().data<double>().ToArray();

    /// <summary>The mean, variance and fourth central moment of Beta(a, b).</summary>
    public static (double Mean, double Variance, double FourthCentralMoment) BetaMoments(double a, double b)
    {
        var s = a + b;
        var variance = a * b / (s * s * (s + 1));
        var fourth = 3 * a * b * (a * b * (s - 6) + 2 * s * s) / (s * s * s * s * (s + 1) * (s + 2) * (s + 3));
        return (a / s, variance, fourth);
    }
}
