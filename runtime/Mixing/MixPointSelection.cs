using static System.FormattableString;

namespace NfmGen;

/// <summary>
/// Which mix points NFM may choose from: <see cref="All"/> the network's eligible ones, <see cref="InputOnly"/>,
/// or <see cref="Only"/> a given set. Resolved against a network by <see cref="Resolve"/>.
/// </summary>
public sealed class MixPointSelection : IEquatable<MixPointSelection>
{
    // Null selects all eligible points; otherwise sorted, so that equal sets compare equal.
    private readonly int[]? _points;

    private MixPointSelection(int[]? points) => _points = points;

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
        if (_points is null)
            return eligible;

        var accepted = Invariant($"(accepted: {string.Join(", ", eligible.Select(i => Invariant($"{i} {network.MixPoints[i]}")))})");
        if (_points.Length == 0)
            throw Error($"MixPoints selects no mix point {accepted}");
        for (var i = 0; i < _points.Length; i++)
        {
            var point = _points[i];
            if (point < 0 || point >= network.MixPointCount)
                throw Error(Invariant($"mix point {point} is not a mix point of {network.Name} {accepted}"));
            if (point == 0 && !network.MixInput)
                throw Error(Invariant($"mix point 0 (input) is not eligible in {network.Name}, which sets MixInput = false {accepted}"));
            if (i > 0 && _points[i - 1] == point)
                throw Error(Invariant($"mix point {point} is selected twice {accepted}"));
        }
        return Array.AsReadOnly(_points);
    }

    private static ArgumentException Error(string message) => new(message, nameof(NfmOptions.MixPoints));

    /// <inheritdoc/>
    public bool Equals(MixPointSelection? other) =>
        other is not null && (_points is null ? other._points is null : other._points is not null && _points.AsSpan().SequenceEqual(other._points));

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as MixPointSelection);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        if (_points is null)
            return 0;
        var hash = new HashCode();
        foreach (var point in _points)
            hash.Add(point);
        return hash.ToHashCode();
    }

    /// <summary>The selection as code reads it: <c>All</c>, <c>InputOnly</c> or <c>Only(1, 2)</c>.</summary>
    public override string ToString() => _points switch
    {
        null => nameof(All),
        [0] => nameof(InputOnly),
        _ => Invariant($"{nameof(Only)}({string.Join(", ", _points)})"),
    };
}
