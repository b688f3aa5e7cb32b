using System.Globalization;

namespace NfmGen.Cli.Sweeps;

/// <summary>Task indexes written as Slurm's <c>--array</c> writes them: ascending, runs compressed, <c>3,7,12-15</c>.</summary>
internal static class IndexRanges
{
    /// <summary>The text of <paramref name="indexes"/> (any order, repeats ignored).</summary>
    /// <exception cref="ArgumentException">There are none, or one is negative.</exception>
    public static string Format(IEnumerable<int> indexes)
    {
        var sorted = indexes.Distinct().Order().ToArray();
        if (sorted.Length == 0 || sorted[0] < 0)
            throw new ArgumentException("task indexes must be at least one, none negative", nameof(indexes));
        var parts = new List<string>();
        for (var start = 0; start < sorted.Length;)
        {
            var end = start;
            while (end + 1 < sorted.Length && sorted[end + 1] == sorted[end] + 1)
                end++;
            parts.Add(end == start ? Text(sorted[start]) : $"{Text(sorted[start])}-{Text(sorted[end])}");
            start = end + 1;
        }
        return string.Join(",", parts);
    }

    /// <summary>The indexes of <paramref name="text"/> (<see cref="Format"/>'s form), ascending.</summary>
    /// <exception cref="FormatException">The text is not that form; the message quotes it.</exception>
    public static IReadOnlyList<int> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var indexes = new SortedSet<int>();
        foreach (var part in text.Split(','))
        {
            var bounds = part.Split('-');
            if (bounds.Length is not (1 or 2) || !bounds.All(bound => int.TryParse(bound, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
                throw new FormatException($"'{text}' is not a list of task indexes such as 3,7,12-15");
            var (first, last) = (int.Parse(bounds[0], CultureInfo.InvariantCulture), int.Parse(bounds[^1], CultureInfo.InvariantCulture));
            if (last < first)
                throw new FormatException($"'{text}': the range {part} runs backwards");
            if (last - first >= MaxRange)
                throw new FormatException($"'{text}': the range {part} holds more than {MaxRange} indexes");
            foreach (var index in Enumerable.Range(first, last - first + 1))
                indexes.Add(index);
        }
        return [.. indexes];
    }

    /// <summary>The most indexes one range may hold: far more than any sweep, few enough to list.</summary>
    private const int MaxRange = 1_000_000;

    private static string Text(int index) => index.ToString(CultureInfo.InvariantCulture);
}
