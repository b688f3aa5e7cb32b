using static System.FormattableString;

namespace NfmGen.Reports;

/// <summary>
/// How many of a group's seeds a row of a <see cref="SeedAveragedReport"/> averages, out of how many, and why the others
/// are missing: a row is never presented as complete when some of its runs failed or have not finished.
/// </summary>
/// <param name="Finished">The seeds whose reports are averaged: n.</param>
/// <param name="Total">The seeds of the group.</param>
/// <param name="Missing">Why the others are missing, such as ("failed", 1), ("pending", 1); the counts add up to Total − Finished.</param>
internal sealed record SeedCount(int Finished, int Total, IReadOnlyList<KeyValuePair<string, int>> Missing)
{
    /// <summary>Whether every seed of the group is averaged.</summary>
    public bool IsComplete => Finished == Total;

    /// <summary>"n=5" when complete, else "n=3 of 5, 1 failed, 1 pending".</summary>
    public string Describe() => IsComplete
        ? Invariant($"n={Finished}")
        : Invariant($"n={Finished} of {Total}") + string.Concat(Missing.Select(reason => Invariant($", {reason.Value} {reason.Key}")));

    /// <summary>The reasons alone, "1 failed, 1 pending"; empty when complete.</summary>
    public string DescribeMissing() => string.Join(", ", Missing.Select(reason => Invariant($"{reason.Value} {reason.Key}")));

    /// <inheritdoc/>
    public bool Equals(SeedCount? other) =>
        other is not null && Finished == other.Finished && Total == other.Total && Missing.SequenceEqual(other.Missing);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Finished, Total, Missing.Count);
}
