using static System.FormattableString;

namespace NfmGen.Data.Tables;

/// <summary>
/// How <see cref="CsvDataset.Open(string, CsvOptions)"/> reads a CSV file: which column holds the class, which hold
/// categories (one-hot encoded) or are ignored (every other column is numeric, standardised), how missing values are
/// filled, and where the test rows come from: another file, or a seeded, stratified fraction of this one.
/// </summary>
/// <param name="Label">The column that holds each row's class (any text; classes are its distinct values).</param>
public sealed record CsvOptions(string Label)
{
    /// <summary>The test fraction when no test file is given.</summary>
    public const double DefaultTestFraction = 0.2;

    /// <summary>Columns of categories, one-hot encoded over the categories of the training split.</summary>
    public IReadOnlyList<string> Categorical { get; init; } = [];

    /// <summary>Columns left out of the inputs (an id, a leak); prediction still writes them back.</summary>
    public IReadOnlyList<string> Ignore { get; init; } = [];

    /// <summary>How missing values are filled; <see cref="ImputeMethod.None"/> refuses them.</summary>
    public ImputeMethod Impute { get; init; } = ImputeMethod.None;

    /// <summary>A CSV file of test rows with the same columns; null: hold out <see cref="TestFraction"/> of the training file.</summary>
    public string? TestFile { get; init; }

    /// <summary>The fraction of each class's rows held out for testing when there is no <see cref="TestFile"/>, in (0, 1).</summary>
    public double TestFraction { get; init; } = DefaultTestFraction;

    /// <summary>The seed of the test split: the same file, fraction and seed give the same split anywhere.</summary>
    public long SplitSeed { get; init; }

    /// <summary>Throws unless the options are consistent: names given, no column in two roles, a fraction in (0, 1).</summary>
    /// <exception cref="ArgumentException">The message names the value and what is accepted.</exception>
    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Label))
            throw new ArgumentException("the label column must be named (--label COLUMN)", nameof(Label));
        ArgumentNullException.ThrowIfNull(Categorical);
        ArgumentNullException.ThrowIfNull(Ignore);
        if (!Enum.IsDefined(Impute))
            throw new ArgumentException(Invariant($"Impute must be None, Mean or Median (was {(int)Impute})"), nameof(Impute));
        if (TestFile is not null && SplitSeed != 0)
            throw new ArgumentException(Invariant($"SplitSeed {SplitSeed} draws the test rows from the training file; with a TestFile nothing is drawn: drop one (--split-seed, --test)"), nameof(SplitSeed));
        if (TestFile is null && !(TestFraction > 0 && TestFraction < 1))
            throw new ArgumentException(Invariant($"the test fraction must be in (0, 1) (was {TestFraction})"), nameof(TestFraction));
        string[] roles = [Label, .. Categorical, .. Ignore];
        if (roles.GroupBy(name => name, StringComparer.Ordinal).FirstOrDefault(group => group.Count() > 1) is { } twice)
            throw new ArgumentException($"column '{twice.Key}' is named twice among the label, --categorical and --ignore; give each column one role", nameof(Categorical));
    }
}
