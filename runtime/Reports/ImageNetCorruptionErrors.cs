using static System.FormattableString;

namespace NfmGen.Reports;

/// <summary>
/// One ImageNet-C corruption's errors, as Hendrycks and Dietterich (ICLR 2019, section 4) define them.
/// </summary>
/// <param name="Corruption">The corruption (one of <see cref="ImageNetCorruptions.Benchmark"/>).</param>
/// <param name="Error">The model's top-1 error averaged over severities 1-5, as a fraction.</param>
/// <param name="Ce">CE_c = Σ_s E_{s,c} / Σ_s E^AlexNet_{s,c}, as a fraction (AlexNet = 1).</param>
/// <param name="RelativeCe">
/// Relative CE_c = Σ_s (E_{s,c} - E_clean) / Σ_s (E^AlexNet_{s,c} - E^AlexNet_clean): how much the corruption adds to
/// the clean error, relative to how much it adds to AlexNet's.
/// </param>
internal sealed record CorruptionError(string Corruption, double Error, double Ce, double RelativeCe);

/// <summary>
/// The corruption errors of one report row's ImageNet-C results (<see cref="PerturbationKind.ImageNetCorruption"/>),
/// normalised by AlexNet's (<see cref="ImageNetCorruptions"/>), and their means mCE and relative mCE.
/// </summary>
/// <remarks>
/// A CE needs all five severities of a benchmark corruption. mCE averages over the benchmark corruptions that are
/// complete; when some are not, <see cref="Missing"/> lists what is absent and <see cref="Note"/> says that the mCE is
/// over fewer than 15 corruptions (and so not comparable with published ones). It is never silently partial.
/// Corruptions outside the benchmark (speckle noise, Gaussian blur, spatter, saturate) have no AlexNet reference and
/// stay out of mCE; their accuracies remain in the report.
/// </remarks>
internal sealed record ImageNetCorruptionErrors
{
    private ImageNetCorruptionErrors(IReadOnlyList<CorruptionError> corruptions, IReadOnlyList<string> missing)
    {
        Corruptions = corruptions;
        Missing = missing;
        if (corruptions.Count > 0)
        {
            MeanCorruptionError = corruptions.Average(c => c.Ce);
            RelativeMeanCorruptionError = corruptions.Average(c => c.RelativeCe);
        }
    }

    /// <summary>The complete benchmark corruptions' errors, in <see cref="ImageNetCorruptions.Benchmark"/> order.</summary>
    public IReadOnlyList<CorruptionError> Corruptions { get; }

    /// <summary>mCE: the mean of <see cref="CorruptionError.Ce"/> over <see cref="Corruptions"/>, as a fraction; null when none is complete.</summary>
    public double? MeanCorruptionError { get; }

    /// <summary>Relative mCE: the mean of <see cref="CorruptionError.RelativeCe"/> over <see cref="Corruptions"/>; null when none is complete.</summary>
    public double? RelativeMeanCorruptionError { get; }

    /// <summary>
    /// What the benchmark lacks, in its order: a corruption with no result ("fog"), or the severities missing from one
    /// that has some ("fog s4, s5"). Empty when all 15 corruptions have all 5 severities.
    /// </summary>
    public IReadOnlyList<string> Missing { get; }

    /// <summary>Whether every benchmark corruption is complete, so that mCE is the paper's.</summary>
    public bool IsComplete => Missing.Count == 0;

    /// <summary>Null when complete; otherwise what mCE is over and what is missing, for a report's footnote.</summary>
    public string? Note => IsComplete
        ? null
        : Invariant($"mCE over {Corruptions.Count} of {ImageNetCorruptions.Benchmark.Count} corruptions, not comparable with the paper's (missing: {string.Join("; ", Missing)})");

    /// <summary>The corruption errors of <paramref name="row"/>'s ImageNet-C results; null when it has none.</summary>
    internal static ImageNetCorruptionErrors? Of(ReportRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var accuracies = row.Results
            .Where(result => result.Kind == PerturbationKind.ImageNetCorruption)
            .ToDictionary(result => (result.Corruption!, (int)result.Level), result => result.Accuracy);
        return accuracies.Count == 0 ? null : Compute(row.CleanAccuracy, accuracies);
    }

    /// <summary>
    /// The corruption errors of a model with clean accuracy <paramref name="cleanAccuracy"/> and the accuracies
    /// <paramref name="accuracies"/> per (corruption, severity 1-5); corruptions outside the benchmark are ignored.
    /// </summary>
    /// <exception cref="ArgumentException">An accuracy is not a fraction in [0, 1].</exception>
    internal static ImageNetCorruptionErrors Compute(double cleanAccuracy, IReadOnlyDictionary<(string Corruption, int Severity), double> accuracies)
    {
        ArgumentNullException.ThrowIfNull(accuracies);
        PerturbationResult.RequireAccuracy(cleanAccuracy, nameof(cleanAccuracy));
        foreach (var (key, accuracy) in accuracies)
            PerturbationResult.RequireAccuracy(accuracy, Invariant($"accuracy of {key.Corruption} s{key.Severity}"));

        double cleanError = 1 - cleanAccuracy;
        var complete = new List<CorruptionError>();
        var missing = new List<string>();
        foreach (var corruption in ImageNetCorruptions.Benchmark)
        {
            var absent = Enumerable.Range(1, ImageNetCorruptions.SeverityCount).Where(s => !accuracies.ContainsKey((corruption, s))).ToArray();
            if (absent.Length == ImageNetCorruptions.SeverityCount)
            {
                missing.Add(corruption);
                continue;
            }
            if (absent.Length > 0)
            {
                missing.Add(corruption + " " + string.Join(", ", absent.Select(s => Invariant($"s{s}"))));
                continue;
            }

            // Σ_s over the five severities; AlexNet's figure is its mean over them, so its sum is five times that.
            double errorSum = Enumerable.Range(1, ImageNetCorruptions.SeverityCount).Sum(s => 1 - accuracies[(corruption, s)]);
            double alexNetSum = ImageNetCorruptions.SeverityCount * ImageNetCorruptions.AlexNetError(corruption)!.Value;
            double alexNetCleanSum = ImageNetCorruptions.SeverityCount * ImageNetCorruptions.AlexNetCleanError;
            complete.Add(new CorruptionError(
                corruption,
                errorSum / ImageNetCorruptions.SeverityCount,
                errorSum / alexNetSum,
                (errorSum - ImageNetCorruptions.SeverityCount * cleanError) / (alexNetSum - alexNetCleanSum)));
        }
        return new ImageNetCorruptionErrors(complete, missing);
    }
}
