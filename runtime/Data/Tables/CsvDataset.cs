using NfmGen.Randomness;
using static System.FormattableString;
using static TorchSharp.torch;

namespace NfmGen.Data.Tables;

/// <summary>
/// The rows of a CSV file as network inputs: float32 <c>[N, D]</c>, numeric columns standardised and categorical ones
/// one-hot by its <see cref="Schema"/>, which was fitted on the training split and goes into the run, so that
/// evaluation, resumption and prediction encode any file exactly alike.
/// <code>
/// var (train, test) = CsvDataset.Open("letter-recognition.csv", new CsvOptions("lettr") { TestFraction = 0.2 });
/// </code>
/// </summary>
public sealed class CsvDataset : LabeledDataset
{
    private CsvDataset(string name, Tensor features, Tensor labels, TableSchema schema)
        : base(name, RequireOnePerLabel(name, features, labels), schema.ClassNames.Count)
    {
        Schema = schema;
        Features = features.DetachFromDisposeScope();
    }

    /// <summary>How the rows were encoded, and from which files.</summary>
    public TableSchema Schema { get; }

    /// <summary>The encoded rows, float32 <c>[N, D]</c>.</summary>
    public Tensor Features { get; }

    /// <inheritdoc/>
    public override long[] InputShape => [Schema.FeatureCount];

    /// <inheritdoc/>
    internal override TableSchema? Table => Schema;

    /// <summary>
    /// Reads the CSV file at <paramref name="path"/>, splits it into training and test rows (or takes the test rows from
    /// <see cref="CsvOptions.TestFile"/>), fits the schema on the training rows and encodes both. The caller disposes both.
    /// </summary>
    /// <exception cref="ArgumentException">The options are inconsistent.</exception>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="InvalidDataException">A file is refused (empty, no header, a ragged row, a field that is not a number, a missing value without imputation, an unknown class or category in the test file); the message names the line and column.</exception>
    public static (CsvDataset Train, CsvDataset Test) Open(string path, CsvOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        string[] required = [options.Label, .. options.Categorical, .. options.Ignore];
        var file = CsvFile.Read(path, name => name == options.Label || options.Categorical.Contains(name) ? ColumnRole.Text
            : options.Ignore.Contains(name) ? null : ColumnRole.Numeric, required);
        var classNames = TableSchema.ClassNamesOf(file, options.Label);
        var allRows = Enumerable.Range(0, file.Rows).ToArray();
        if (options.TestFile is null)
        {
            var labels = Labelled(classNames, file.Texts[options.Label]);
            var held = HeldOut(labels, options.TestFraction, options.SplitSeed, path);
            var schema = TableFit.Fit(file, Rows(held, false), options, classNames, TableSource.Of(path, file.Rows), null) with { TestRows = Fingerprint(Rows(held, true)) };
            return Pair(schema, file, Rows(held, false), file, Rows(held, true));
        }
        else
        {
            if (Path.GetFullPath(options.TestFile) == Path.GetFullPath(path))
                throw new ArgumentException($"the test file is the training file ({Path.GetFullPath(path)}): a model scored on its own training rows says nothing; give another file, or a test fraction", nameof(options));
            var fitted = TableFit.Fit(file, allRows, options, classNames, TableSource.Of(path, file.Rows), null);
            var testFile = ReadUnder(fitted, options.TestFile);
            var schema = fitted with { Test = TableSource.Of(options.TestFile, testFile.Rows) };
            return Pair(schema, file, allRows, testFile, Enumerable.Range(0, testFile.Rows).ToArray());
        }
    }

    /// <summary>
    /// Reads the labelled CSV file at <paramref name="path"/> under a run's <paramref name="schema"/>: the same columns,
    /// encoded as the run's training data were (another test set).
    /// </summary>
    /// <exception cref="FileNotFoundException">The file is missing.</exception>
    /// <exception cref="InvalidDataException">The file is refused; the message names the line and column.</exception>
    public static CsvDataset Open(string path, TableSchema schema)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(schema);
        var file = ReadUnder(schema, path);
        return Encoded(Path.GetFileName(path), schema, file, Enumerable.Range(0, file.Rows).ToArray());
    }

    /// <summary>
    /// The training and test rows a run was trained and tested on, rebuilt from its <paramref name="schema"/>: the same
    /// files (checked by their SHA-256), the same split, the same encoding (not refitted).
    /// </summary>
    /// <param name="schema">The run's schema.</param>
    /// <param name="path">Where the training file is now; null: where it was (<see cref="TableSource.File"/>).</param>
    /// <exception cref="InvalidDataException">A file is not the one the run recorded, or is refused.</exception>
    public static (CsvDataset Train, CsvDataset Test) Reopen(TableSchema schema, string? path = null)
    {
        ArgumentNullException.ThrowIfNull(schema);
        path ??= schema.Train.File;
        if (File.Exists(path) && schema.Train.Mismatch(path) is { } changed)
            throw new InvalidDataException(changed);
        var file = ReadUnder(schema, path);
        var allRows = Enumerable.Range(0, file.Rows).ToArray();
        if (schema.Test is not { } test)
        {
            var held = HeldOut(schema.Labels(file, allRows), schema.TestFraction ?? CsvOptions.DefaultTestFraction, schema.SplitSeed, path);
            if (schema.TestRows is { } recorded && Fingerprint(Rows(held, true)) != recorded)
                throw new InvalidDataException(
                    $"{path}: the test rows drawn now are not the run's (fingerprint {Fingerprint(Rows(held, true))}, recorded {recorded}), though the file is the same: the random numbers of the split changed (another libtorch?), and the run would be tested on rows it may have trained on");
            return Pair(schema, file, Rows(held, false), file, Rows(held, true));
        }
        if (File.Exists(test.File) && test.Mismatch(test.File) is { } testChanged)
            throw new InvalidDataException(testChanged);
        var testFile = ReadUnder(schema, test.File);
        return Pair(schema, file, allRows, testFile, Enumerable.Range(0, testFile.Rows).ToArray());
    }

    /// <summary>Reads a file with a run's columns: its inputs and label must be in the header; others are left out.</summary>
    internal static CsvFile ReadUnder(TableSchema schema, string path, bool withLabel = true, bool keepFields = false) =>
        CsvFile.Read(path, name => schema.RoleOf(name, withLabel), [.. withLabel ? [schema.Label] : Array.Empty<string>(), .. schema.Columns.Select(column => column.Name)], keepFields);

    /// <inheritdoc/>
    protected internal override Tensor Gather(Tensor indices, GatherRequest request) => FeatureDataset.Rows(Features, indices, request);

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
            Features.Dispose();
        base.Dispose(disposing);
    }

    private static (CsvDataset, CsvDataset) Pair(TableSchema schema, CsvFile trainFile, int[] trainRows, CsvFile testFile, int[] testRows)
    {
        var testName = testFile == trainFile ? Invariant($"{Path.GetFileName(trainFile.Path)} (test {schema.TestFraction:0.###})") : Path.GetFileName(testFile.Path);
        var test = Encoded(testName, schema, testFile, testRows);
        try
        {
            return (Encoded(Path.GetFileName(trainFile.Path), schema, trainFile, trainRows), test);
        }
        catch
        {
            test.Dispose();
            throw;
        }
    }

    private static CsvDataset Encoded(string name, TableSchema schema, CsvFile file, int[] rows)
    {
        using var scope = NewDisposeScope();
        var inputs = tensor(schema.Encode(file, rows), [rows.Length, schema.FeatureCount]);
        var labels = tensor(schema.Labels(file, rows));
        return new CsvDataset(name, inputs, labels, schema);
    }

    // The classes were read from these values, none missing.
    private static long[] Labelled(IReadOnlyList<string> classNames, string?[] values)
    {
        var index = classNames.Select((name, position) => (name, position)).ToDictionary(pair => pair.name, pair => (long)pair.position, StringComparer.Ordinal);
        return values.Select(value => index[value!]).ToArray();
    }

    private static bool[] HeldOut(long[] labels, double fraction, long seed, string path)
    {
        var held = StratifiedHoldOut.Draw(labels, fraction, Seeds.Derive(seed, Seeds.TestSplitStream));
        if (!held.Contains(true))
            throw new ArgumentException(Invariant($"a test fraction of {fraction} holds out no row of {path} ({labels.Length} rows): raise it, or give a test file"), nameof(fraction));
        return held;
    }

    private static string Fingerprint(int[] rows)
    {
        var bytes = new byte[rows.Length * sizeof(int)];
        Buffer.BlockCopy(rows, 0, bytes, 0, bytes.Length);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes))[..16];
    }

    private static int[] Rows(bool[] held, bool wanted) => Enumerable.Range(0, held.Length).Where(row => held[row] == wanted).ToArray();
}
