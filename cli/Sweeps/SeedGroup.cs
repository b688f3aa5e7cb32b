namespace NfmGen.Cli.Sweeps;

/// <summary>
/// Tasks of a sweep that differ only in their seed: one row of <c>nfm sweep report</c>, its cells the mean ± std over
/// these tasks.
/// </summary>
/// <param name="Name">The row's name: the values that set the group apart (see <see cref="SeedGroups.Of"/>).</param>
/// <param name="Values">The group's value of each grid axis other than the seed, in the grid's order.</param>
/// <param name="Tasks">Its tasks, by index; one per seed.</param>
internal sealed record SeedGroup(string Name, IReadOnlyList<SweepOption> Values, IReadOnlyList<SweepTask> Tasks)
{
    /// <summary>Whether both have the same name, values and tasks.</summary>
    public bool Equals(SeedGroup? other) =>
        other is not null && Name == other.Name && Values.SequenceEqual(other.Values) && Tasks.SequenceEqual(other.Tasks);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, Values.Count, Tasks.Count);
}
