using NfmGen.Randomness;
namespace NfmGen.Reports;

/// <summary>
/// One row of a <see cref="SeedAveragedReport"/>: a group of runs that differ only in their seed (or a row of the
/// paper), its clean accuracy and its accuracy in each of the report's columns, as spreads over the group's seeds.
/// </summary>
/// <param name="Name">The group, named by the values that set it apart (such as "nfm", or "scheme=nfm alpha=0.2").</param>
/// <param name="Clean">The clean accuracy; null when no seed of the group has finished.</param>
/// <param name="Results">One per column of the report, in its order; null where the row has no value.</param>
internal sealed record SeedAveragedRow(string Name, Spread? Clean, IReadOnlyList<Spread?> Results)
{
    /// <summary>Where the numbers come from when not from this sweep: "paper" for <see cref="PaperResults"/>; null for the sweep's own groups.</summary>
    public string? Source { get; init; }

    /// <summary>How many seeds the row averages, out of how many; null for rows of published numbers.</summary>
    public SeedCount? Seeds { get; init; }

    /// <summary>The name as tables and legends show it: "Name [Source]", or the name alone.</summary>
    public string DisplayName => Source is null ? Name : $"{Name} [{Source}]";

    /// <summary>A row of published numbers (one value per cell, no spread): the paper's row as printed.</summary>
    public static SeedAveragedRow Published(ReportRow row, IReadOnlyList<ReportColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(columns);
        return new SeedAveragedRow(
            row.Name,
            new Spread(row.CleanAccuracy, null, 1),
            columns.Select(column => row.Find(column) is { } result ? new Spread(result.Accuracy, null, 1) : (Spread?)null).ToArray())
        {
            Source = row.Source,
        };
    }

    /// <inheritdoc/>
    public bool Equals(SeedAveragedRow? other) =>
        other is not null && Name == other.Name && Clean == other.Clean && Results.SequenceEqual(other.Results)
        && Source == other.Source && Equals(Seeds, other.Seeds);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Name, Clean, Results.Count, Source);
}
