namespace NfmGen.Analysis;

/// <summary>The 95% percentile bootstrap interval of a mean over points (Efron and Tibshirani, 1993).</summary>
internal static class Bootstrap
{
    /// <summary>The mean of <paramref name="values"/> with the 2.5th and 97.5th percentiles of <paramref name="resamples"/> resampled means.</summary>
    public static SmoothnessEstimate Mean(IReadOnlyList<double> values, int resamples, Random random)
    {
        if (values.Count == 0)
            throw new ArgumentException("a bootstrap needs at least one value", nameof(values));
        var means = new double[resamples];
        for (var b = 0; b < resamples; b++)
        {
            var sum = 0.0;
            for (var i = 0; i < values.Count; i++)
                sum += values[random.Next(values.Count)];
            means[b] = sum / values.Count;
        }
        Array.Sort(means);
        return new SmoothnessEstimate(values.Average(), Percentile(means, 0.025), Percentile(means, 0.975));
    }

    // Linear interpolation between order statistics (numpy's default).
    private static double Percentile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
    }
}
