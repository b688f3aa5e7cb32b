namespace NfmGen.Cli.Sweeps;

/// <summary>
/// One command-line option of a sweep's training or evaluation, as <c>sweep.json</c> holds it: the option's name without
/// its dashes (<c>scheme</c>, <c>add-noise</c>) and its values as text. A JSON string or number is one value (a number
/// keeps its written form), a boolean is the text <c>true</c> or <c>false</c>, and an array is the option repeated.
/// </summary>
/// <param name="Name">The option's name, as <c>nfm train</c> or <c>nfm eval</c> spells it, without the leading <c>--</c>.</param>
/// <param name="Values">Its values, in order; never empty.</param>
internal sealed record SweepOption(string Name, IReadOnlyList<string> Values)
{
    /// <summary>One option with one value.</summary>
    public SweepOption(string name, string value) : this(name, [value]) { }

    /// <summary>Whether both have the same name and the same values in the same order.</summary>
    public bool Equals(SweepOption? other) => other is not null && Name == other.Name && Values.SequenceEqual(other.Values);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, Values.Count, Values.Count > 0 ? Values[0] : null);

    /// <summary><c>name=value</c>, or <c>name=[a, b]</c> for a repeated option.</summary>
    public override string ToString() => Values.Count == 1 ? $"{Name}={Values[0]}" : $"{Name}=[{string.Join(", ", Values)}]";
}
