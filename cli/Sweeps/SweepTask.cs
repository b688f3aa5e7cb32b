namespace NfmGen.Cli.Sweeps;

/// <summary>One run of a sweep: its index in the grid, the axes' values that make it, and its full training options.</summary>
/// <param name="Index">Its place in the grid, from 0; the same index always means the same task.</param>
/// <param name="Varying">Its value of each grid axis, in the grid's order.</param>
/// <param name="TrainOptions">The base training options followed by <paramref name="Varying"/>.</param>
internal sealed record SweepTask(int Index, IReadOnlyList<SweepOption> Varying, IReadOnlyList<SweepOption> TrainOptions)
{
    /// <summary>Its value of the option <paramref name="name"/>, if an axis or base option sets it.</summary>
    public string? Value(string name) => TrainOptions.LastOrDefault(option => option.Name == name)?.Values[^1];

    /// <summary>Whether both have the same index and options.</summary>
    public bool Equals(SweepTask? other) =>
        other is not null && Index == other.Index && Varying.SequenceEqual(other.Varying) && TrainOptions.SequenceEqual(other.TrainOptions);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Index, TrainOptions.Count);

    /// <summary>The varying values, <c>scheme=nfm seed=2</c>.</summary>
    public string Describe() => Varying.Count == 0 ? "(no grid)" : string.Join(" ", Varying);
}
