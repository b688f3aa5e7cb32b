using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using static System.FormattableString;

namespace NfmGen.Mixing;

/// <summary>
/// Which mix points NFM may choose from: <see cref="All"/> the network's eligible ones, <see cref="InputOnly"/>,
/// or <see cref="Only"/> a given set. Resolved against a network by <see cref="Resolve"/>.
/// </summary>
[JsonConverter(typeof(MixPointSelectionJsonConverter))]
public sealed class MixPointSelection : IEquatable<MixPointSelection>
{
    // Null selects all eligible points; otherwise sorted, so that equal sets compare equal.
    private readonly int[]? points;

    private MixPointSelection(int[]? points) => this.points = points;

    /// <summary>Every eligible mix point of the network (<see cref="NfmNetworkInfo.EligibleMixPoints"/>).</summary>
    public static MixPointSelection All { get; } = new(null);

    /// <summary>The input only (mix point 0): input mixup and input noise.</summary>
    public static MixPointSelection InputOnly { get; } = new([0]);

    /// <summary>The given mix points (0 is the input).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="points"/> is null.</exception>
    public static MixPointSelection Only(params int[] points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var sorted = (int[])points.Clone();
        Array.Sort(sorted);
        return new(sorted);
    }

    /// <summary>
    /// The mix points this selection picks in <paramref name="network"/>, in ascending order.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The selection is empty, names a point the network does not have, names a point twice, or names the input of
    /// a network that sets <c>MixInput = false</c>; or the network has no eligible mix point at all.
    /// </exception>
    public IReadOnlyList<int> Resolve(NfmNetworkInfo network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var eligible = network.EligibleMixPoints;
        if (eligible.Count == 0)
            throw Error(Invariant($"{network.Name} has no eligible mix point: it has no mixable layer and sets MixInput = false"));
        if (this.points is null)
            return eligible;

        var accepted = Invariant($"(accepted: {string.Join(", ", eligible.Select(i => Invariant($"{i} {network.MixPoints[i]}")))})");
        if (this.points.Length == 0)
            throw Error($"MixPoints selects no mix point {accepted}");
        for (var i = 0; i < this.points.Length; i++)
        {
            var point = this.points[i];
            if (point < 0 || point >= network.MixPointCount)
                throw Error(Invariant($"mix point {point} is not a mix point of {network.Name} {accepted}"));
            if (point == 0 && !network.MixInput)
                throw Error(Invariant($"mix point 0 (input) is not eligible in {network.Name}, which sets MixInput = false {accepted}"));
            if (i > 0 && this.points[i - 1] == point)
                throw Error(Invariant($"mix point {point} is selected twice {accepted}"));
        }
        return Array.AsReadOnly(this.points);
    }

    private static ArgumentException Error(string message) => new(message, nameof(NfmOptions.MixPoints));

    /// <inheritdoc/>
    public bool Equals(MixPointSelection? other) =>
        other is not null && (this.points is null ? other.points is null : other.points is not null && this.points.AsSpan().SequenceEqual(other.points));

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as MixPointSelection);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        if (this.points is null)
            return 0;
        var hash = new HashCode();
        foreach (var point in this.points)
            hash.Add(point);
        return hash.ToHashCode();
    }

    /// <summary>The selection as code reads it: <c>All</c>, <c>InputOnly</c> or <c>Only(1, 2)</c>.</summary>
    public override string ToString() => this.points switch
    {
        null => nameof(All),
        [0] => nameof(InputOnly),
        _ => Invariant($"{nameof(Only)}({string.Join(", ", this.points)})"),
    };

    /// <summary>
    /// Reads a selection as users write it: <c>all</c>, <c>input</c>, or mix points separated by commas (<c>0,1,2</c>);
    /// also the forms <see cref="ToString"/> writes.
    /// </summary>
    /// <exception cref="ArgumentException">The text is none of these.</exception>
    public static MixPointSelection Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.Equals("all", StringComparison.OrdinalIgnoreCase))
            return All;
        if (trimmed.Equals("input", StringComparison.OrdinalIgnoreCase) || trimmed.Equals(nameof(InputOnly), StringComparison.OrdinalIgnoreCase))
            return InputOnly;
        if (trimmed.StartsWith(nameof(Only) + "(", StringComparison.Ordinal) && trimmed.EndsWith(')'))
            trimmed = trimmed[(nameof(Only).Length + 1)..^1];

        var parts = trimmed.Split(',', StringSplitOptions.TrimEntries);
        var points = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out points[i]))
                throw new ArgumentException($"mix points must be 'all', 'input' or mix point numbers separated by commas such as '0,1,2' (was '{text}')", nameof(text));
        }
        return Only(points);
    }
}

/// <summary>Writes a <see cref="MixPointSelection"/> as its <see cref="MixPointSelection.ToString"/> text.</summary>
internal sealed class MixPointSelectionJsonConverter : JsonConverter<MixPointSelection>
{
    public override MixPointSelection Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        MixPointSelection.Parse(reader.GetString() ?? throw new JsonException("a mix point selection must be a string"));

    public override void Write(Utf8JsonWriter writer, MixPointSelection value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
