using System.Text.Json.Serialization;
using static System.FormattableString;

namespace NfmGen.Reports;

/// <summary>
/// One model or training scheme in a report: its clean accuracy and its accuracies under perturbations.
/// Two rows are equal when their values are, results compared in order.
/// </summary>
public sealed record ReportRow
{
    /// <summary>Creates a row; throws unless the values are in range and no two results share a column.</summary>
    /// <param name="name">The model or scheme, e.g. "Noisy Feature Mixup (α = 1.0)".</param>
    /// <param name="cleanAccuracy">The accuracy on unperturbed test inputs, in [0, 1].</param>
    /// <param name="results">The accuracies under perturbations, in any order.</param>
    /// <exception cref="ArgumentException">A value is out of range, or two results have the same kind, corruption and level.</exception>
    [JsonConstructor]
    public ReportRow(string name, double cleanAccuracy, IReadOnlyList<PerturbationResult> results)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new ArgumentException(Invariant($"name must be non-empty, e.g. \"NFM\" (was \"{name}\")"), nameof(name));
        PerturbationResult.RequireAccuracy(cleanAccuracy, nameof(cleanAccuracy));
        ArgumentNullException.ThrowIfNull(results);
        for (int i = 0; i < results.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(results[i], Invariant($"{nameof(results)}[{i}]"));
            var column = new ReportColumn(results[i].Kind, results[i].Corruption, results[i].Level, results[i].Label, results[i].Version);
            for (int j = 0; j < i; j++)
            {
                if (column.Matches(results[j]))
                    throw new ArgumentException(Invariant($"results of row \"{name}\" must have one result per column; \"{column.Header}\" appears at {j} and {i}"), nameof(results));
            }
        }

        Name = name;
        CleanAccuracy = cleanAccuracy;
        Results = results.ToArray();
    }

    /// <summary>The model or scheme.</summary>
    public string Name { get; }

    /// <summary>The accuracy on unperturbed test inputs, in [0, 1].</summary>
    public double CleanAccuracy { get; }

    /// <summary>The accuracies under perturbations.</summary>
    public IReadOnlyList<PerturbationResult> Results { get; }

    /// <summary>
    /// Where the numbers come from when that is not this run: "paper" for <see cref="PaperResults"/>, or a run folder
    /// when reports are compared. Shown after the name; null (the default) shows nothing.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Source { get; init; }

    /// <summary>The name as tables and legends show it: "Name [Source]", or the name alone without a source.</summary>
    [JsonIgnore]
    public string DisplayName => Source is null ? Name : $"{Name} [{Source}]";

    /// <summary>This row's result in <paramref name="column"/>, or null when the row has none there.</summary>
    internal PerturbationResult? Find(ReportColumn column)
    {
        ArgumentNullException.ThrowIfNull(column);
        return Results.FirstOrDefault(column.Matches);
    }

    /// <inheritdoc/>
    public bool Equals(ReportRow? other) =>
        other is not null
        && Name == other.Name
        && CleanAccuracy.Equals(other.CleanAccuracy)
        && Source == other.Source
        && Results.SequenceEqual(other.Results);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Name, CleanAccuracy, Source, Results.Count);
}
