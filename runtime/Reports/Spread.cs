using static System.FormattableString;

namespace NfmGen.Reports;

/// <summary>
/// The mean and spread of one accuracy over the seeds of a group of runs: the mean, the sample standard deviation
/// (divided by n − 1, as the spread of the runs one would get by training again) and n.
/// </summary>
/// <param name="Mean">The mean, in [0, 1].</param>
/// <param name="StandardDeviation">The sample standard deviation (n − 1); null for one value, whose spread is unknown.</param>
/// <param name="Count">How many values: n.</param>
internal readonly record struct Spread(double Mean, double? StandardDeviation, int Count)
{
    /// <summary>The spread of <paramref name="values"/>.</summary>
    /// <exception cref="ArgumentException">There is no value.</exception>
    public static Spread Of(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
            throw new ArgumentException("a spread needs at least one value (was none)", nameof(values));
        double mean = values.Sum() / values.Count;
        if (values.Count == 1)
            return new Spread(mean, null, 1);
        double squares = values.Sum(value => (value - mean) * (value - mean));
        return new Spread(mean, Math.Sqrt(squares / (values.Count - 1)), values.Count);
    }

    /// <summary>"0.954 ± 0.003 (n=5)", for messages and debugging; tables format it themselves.</summary>
    public override string ToString() =>
        Invariant($"{Mean:0.####} ± {(StandardDeviation is { } deviation ? deviation.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture) : "n/a")} (n={Count})");
}
