using System.Globalization;

namespace NfmGen.Cli.Sweeps;

/// <summary>One axis of a sweep's grid: a training option and the values it takes, in order.</summary>
/// <param name="Option">The training option's name, without its dashes (<c>seed</c>, <c>scheme</c>).</param>
/// <param name="Values">Its values; never empty, no value twice.</param>
internal sealed record GridAxis(string Option, IReadOnlyList<string> Values)
{
    /// <summary>The syntax <see cref="Parse"/> accepts, for help texts and messages.</summary>
    public const string Syntax = "OPTION=V1,V2,... or OPTION=FIRST..LAST (whole numbers); with ';' between values when a value holds a comma (mix-points=0;1,2;all)";

    /// <summary>
    /// Reads <c>scheme=erm,mixup,nfm</c>, <c>seed=1..5</c> or <c>mix-points=0;1,2</c>: values are split at ';' when
    /// the list holds one, else at ','; <c>A..B</c> stands for the whole numbers from A to B.
    /// </summary>
    /// <exception cref="FormatException">The text is not of that form; the message quotes it and gives the syntax.</exception>
    public static GridAxis Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var equals = text.IndexOf('=');
        if (equals <= 0 || equals == text.Length - 1)
            throw new FormatException($"grid axis '{text}' is not of the form {Syntax}");
        var option = text[..equals].Trim().TrimStart('-');
        var list = text[(equals + 1)..];
        var parts = list.Split(list.Contains(';') ? ';' : ',', StringSplitOptions.TrimEntries);
        var values = parts.Length == 1 && TryRange(parts[0], out var range) ? range : parts;
        var axis = new GridAxis(option, values);
        axis.Validate();
        return axis;
    }

    /// <summary>Checks the axis: a name, at least one value, no empty value, no value twice.</summary>
    /// <exception cref="FormatException">The message names the axis and what is wrong.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Option))
            throw new FormatException("a grid axis has no option name");
        if (Values.Count == 0)
            throw new FormatException($"grid axis '{Option}' has no values");
        if (Values.FirstOrDefault(string.IsNullOrWhiteSpace) is not null)
            throw new FormatException($"grid axis '{Option}' has an empty value ({string.Join(",", Values)})");
        if (Values.GroupBy(value => value).FirstOrDefault(group => group.Count() > 1) is { } twice)
            throw new FormatException($"grid axis '{Option}' lists '{twice.Key}' twice; each task would run twice");
    }

    /// <summary>Whether both name the same option with the same values in the same order.</summary>
    public bool Equals(GridAxis? other) => other is not null && Option == other.Option && Values.SequenceEqual(other.Values);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Option, Values.Count);

    private static bool TryRange(string text, out string[] values)
    {
        values = [];
        var dots = text.IndexOf("..", StringComparison.Ordinal);
        if (dots <= 0
            || !long.TryParse(text[..dots], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var first)
            || !long.TryParse(text[(dots + 2)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var last))
            return false;
        if (last < first)
            throw new FormatException($"range '{text}' is empty: its end is below its start");
        if (last - first >= 100_000)
            throw new FormatException($"range '{text}' has {last - first + 1:N0} values; at most 100,000 tasks per axis");
        values = Enumerable.Range(0, (int)(last - first + 1)).Select(offset => (first + offset).ToString(CultureInfo.InvariantCulture)).ToArray();
        return true;
    }
}
