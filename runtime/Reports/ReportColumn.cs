namespace NfmGen.Reports;

/// <summary>
/// One perturbation column of a report: a (kind, corruption, level) that at least one row has a result for.
/// <see cref="RobustnessReport.Columns"/> lists them in report order.
/// </summary>
/// <param name="Kind">The perturbation.</param>
/// <param name="Corruption">The corruption for <see cref="PerturbationKind.CifarCorruption"/> and <see cref="PerturbationKind.ImageNetCorruption"/>; null otherwise.</param>
/// <param name="Level">σ, γ, ε or the severity.</param>
/// <param name="Label">The level's label, from the first row that has a result here.</param>
/// <param name="Version">For the AutoAttack kinds, its version: results of another version are another column.</param>
internal sealed record ReportColumn(PerturbationKind Kind, string? Corruption, double Level, string Label, string? Version = null)
{
    /// <summary>
    /// The column header: the kind's symbol and the label, e.g. "σ 0.1", "γ 0.02", "FGSM 8/255", "PGD 8/255", "AA 8/255"
    /// (AutoAttack's standard version; "AA-fast 8/255", "AA-L2 0.5"), "drop 0.1" (feature drop), and for CIFAR-10-C and ImageNet-C the label alone
    /// ("fog s3", "mean s3").
    /// </summary>
    public string Header => Kind switch
    {
        PerturbationKind.WhiteNoise => "σ " + Label,
        PerturbationKind.SaltAndPepper => "γ " + Label,
        PerturbationKind.Fgsm => "FGSM " + Label,
        PerturbationKind.Pgd => "PGD " + Label,
        PerturbationKind.AutoAttack => $"AA{VersionSuffix} {Label}",
        PerturbationKind.AutoAttackL2 => $"AA-L2{VersionSuffix} {Label}",
        PerturbationKind.FeatureDrop => "drop " + Label,
        _ => Label,
    };

    /// <summary>Whether <paramref name="result"/> belongs in this column (same kind, corruption and level; labels may differ).</summary>
    public bool Matches(PerturbationResult result) =>
        result.Kind == Kind && result.Level == Level && string.Equals(result.Corruption, Corruption, StringComparison.Ordinal)
        && string.Equals(result.Version, Version, StringComparison.Ordinal);

    // The reference's own cascade is plain "AA"; any other version is named.
    private string VersionSuffix => Version is null or "standard" ? "" : "-" + Version;

    /// <summary>The union of the rows' columns, ordered by kind, then corruption (the data set's own order), then level.</summary>
    internal static IReadOnlyList<ReportColumn> Of(IEnumerable<ReportRow> rows)
    {
        var columns = new List<ReportColumn>();
        foreach (var result in rows.SelectMany(row => row.Results))
        {
            if (!columns.Exists(column => column.Matches(result)))
                columns.Add(new ReportColumn(result.Kind, result.Corruption, result.Level, result.Label, result.Version));
        }
        return columns
            .OrderBy(column => column.Kind)
            .ThenBy(column => CorruptionRank(column.Kind, column.Corruption))
            .ThenBy(column => column.Corruption, StringComparer.Ordinal)
            .ThenBy(column => column.Version, StringComparer.Ordinal)
            .ThenBy(column => column.Level)
            .ToArray();
    }

    private static int CorruptionRank(PerturbationKind kind, string? corruption)
    {
        if (corruption is null)
            return -1;
        int index = kind == PerturbationKind.ImageNetCorruption ? ImageNetCorruptions.IndexOf(corruption) : CifarCorruptions.IndexOf(corruption);
        return index >= 0 ? index : int.MaxValue;
    }
}
