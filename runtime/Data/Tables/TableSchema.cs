using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace NfmGen.Data.Tables;

/// <summary>
/// How a run turns the rows of a CSV file into network inputs and classes, fitted on its training split: in
/// <c>run.json</c> as <c>table</c> (<see cref="Training.RunManifest.Table"/>), so that evaluation, resumption and
/// prediction apply exactly the same mapping to any file with the same columns.
/// </summary>
/// <param name="Label">The column of the class.</param>
/// <param name="ClassNames">The classes, by name: the label column's distinct values in the training file, in numeric order when all are numbers, else ordinal. A label is an index into them.</param>
/// <param name="Columns">The input columns in the file's order; the inputs are their encodings side by side.</param>
/// <param name="Ignored">Columns left out of the inputs.</param>
/// <param name="Impute">How missing values were filled.</param>
/// <param name="Train">The training file.</param>
/// <param name="Test">The test file, or null when the test rows were held out of the training file.</param>
/// <param name="TestFraction">The fraction of the training file held out for testing; null with a test file.</param>
/// <param name="SplitSeed">The seed of that hold-out.</param>
/// <param name="TestRows">A fingerprint of the held-out rows (SHA-256 of their indices), which reopening checks the redrawn split against; null with a test file.</param>
public sealed record TableSchema(
    string Label,
    IReadOnlyList<string> ClassNames,
    IReadOnlyList<TableColumn> Columns,
    IReadOnlyList<string> Ignored,
    ImputeMethod Impute,
    TableSource Train,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] TableSource? Test,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? TestFraction,
    long SplitSeed,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TestRows = null)
{
    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) } };

    /// <summary>The number of network inputs: one per numeric column, one per category of each categorical column.</summary>
    [JsonIgnore]
    public int FeatureCount => Columns.Sum(column => column.Width);

    /// <summary>Whether two schemas encode alike and were drawn from the same files (by content, wherever they are now): every other field equal.</summary>
    internal bool SameAs(TableSchema? other) => other is not null && JsonSerializer.Serialize(WithoutPaths(), Json) == JsonSerializer.Serialize(other.WithoutPaths(), Json);

    /// <summary>The schema that the run in <paramref name="runFolder"/> encodes its rows with (its <c>run.json</c>'s <c>table</c>), for <see cref="CsvDataset.Reopen"/>.</summary>
    /// <exception cref="FileNotFoundException">The folder holds no run.</exception>
    /// <exception cref="InvalidDataException">The run was not trained on a table.</exception>
    public static TableSchema OfRun(string runFolder) => new Training.RunFolder(runFolder).ReadManifest().Table
        ?? throw new InvalidDataException($"{runFolder}: the run was not trained on a CSV file, so it keeps no table schema");

    private TableSchema WithoutPaths() => this with { Train = Train with { File = "" }, Test = Test is null ? null : Test with { File = "" } };

    /// <summary>The index of each class name (for labels), checked to be distinct.</summary>
    internal Dictionary<string, int> ClassIndex() => ClassNames.Select((name, index) => (name, index)).ToDictionary(pair => pair.name, pair => pair.index, StringComparer.Ordinal);

    /// <summary>What each header column of a file read under this schema is: inputs by their kind, the label as text, the rest left out.</summary>
    internal ColumnRole? RoleOf(string column, bool withLabel) =>
        column == Label ? withLabel ? ColumnRole.Text : null
        : Columns.FirstOrDefault(c => c.Name == column) is { } input ? input.Kind == TableColumnKind.Numeric ? ColumnRole.Numeric : ColumnRole.Text
        : null;

    /// <summary>
    /// For each network input, the column it encodes (an index into <see cref="Columns"/>): a one-hot column's inputs
    /// share one, so that dropping a feature drops all of them.
    /// </summary>
    internal long[] ColumnOfEachInput() => Columns.SelectMany((column, index) => Enumerable.Repeat((long)index, column.Width)).ToArray();

    /// <summary>The input that a missing value of every column becomes (<see cref="TableColumn.Fill"/>), side by side.</summary>
    internal float[] FillRow() => Columns.SelectMany(column => column.Fill).Select(value => (float)value).ToArray();

    /// <summary>Which network inputs are numeric (1) and which one-hot (0).</summary>
    internal float[] NumericMask() => Columns.SelectMany(column => Enumerable.Repeat(column.Kind == TableColumnKind.Numeric ? 1f : 0f, column.Width)).ToArray();

    /// <summary>
    /// The inputs of <paramref name="rows"/> of <paramref name="file"/>, row-major <c>[rows, FeatureCount]</c>: numbers
    /// standardised, categories one-hot, missing values filled as <see cref="Impute"/> says.
    /// </summary>
    /// <exception cref="InvalidDataException">A value is missing and the schema does not impute, or a category was not in the training split; the message names the row and column.</exception>
    internal float[] Encode(CsvFile file, IReadOnlyList<int> rows)
    {
        var width = FeatureCount;
        var inputs = new float[rows.Count * width];
        var offset = 0;
        foreach (var column in Columns)
        {
            if (column.Kind == TableColumnKind.Numeric)
            {
                var values = file.Numbers[column.Name];
                for (var i = 0; i < rows.Count; i++)
                {
                    var value = values[rows[i]];
                    inputs[i * width + offset] = double.IsNaN(value) ? (float)Filled(file, rows[i], column)[0] : (float)((value - column.Mean) / column.Std);
                }
            }
            else
            {
                var index = column.Categories!.Select((name, position) => (name, position)).ToDictionary(pair => pair.name, pair => pair.position, StringComparer.Ordinal);
                var values = file.Texts[column.Name];
                for (var i = 0; i < rows.Count; i++)
                {
                    if (values[rows[i]] is not { } category)
                    {
                        var fill = Filled(file, rows[i], column);
                        for (var k = 0; k < fill.Count; k++)
                            inputs[i * width + offset + k] = (float)fill[k];
                    }
                    else if (index.TryGetValue(category, out var position))
                        inputs[i * width + offset + position] = 1;
                    else
                        throw new InvalidDataException(
                            $"{file.Where(rows[i], column.Name)}: category '{category}' is not one the model was trained on (accepted: {string.Join(", ", column.Categories!)})");
                }
            }
            offset += column.Width;
        }
        return inputs;
    }

    /// <summary>The class of each of <paramref name="rows"/>; the label column must hold one of <see cref="ClassNames"/> in each.</summary>
    /// <exception cref="InvalidDataException">A label is missing or not a class of the run; the message names the row.</exception>
    internal long[] Labels(CsvFile file, IReadOnlyList<int> rows)
    {
        var index = ClassIndex();
        var values = file.Texts[Label];
        return rows.Select(row => values[row] is not { } name
                ? throw new InvalidDataException($"{file.Where(row, Label)}: the class is missing; every row needs one")
                : index.TryGetValue(name, out var label) ? (long)label
                : throw new InvalidDataException($"{file.Where(row, Label)}: class '{name}' is not one the model was trained on (accepted: {string.Join(", ", ClassNames)})"))
            .ToArray();
    }

    /// <summary>The class names of a label column: its distinct values, in numeric order when all are numbers, else ordinal.</summary>
    internal static IReadOnlyList<string> ClassNamesOf(CsvFile file, string label)
    {
        var values = file.Texts[label];
        if (Array.FindIndex(values, value => value is null) is var missing && missing >= 0)
            throw new InvalidDataException($"{file.Where(missing, label)}: the class is missing; every row needs one");
        var names = values.Distinct(StringComparer.Ordinal).Select(name => name!).ToArray();
        if (names.Length < 2)
            throw new InvalidDataException($"{file.Path}: column '{label}' holds one class ('{names[0]}'); a classifier needs two or more");
        return names.All(name => double.TryParse(name, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            ? [.. names.OrderBy(name => double.Parse(name, NumberStyles.Float, CultureInfo.InvariantCulture)).ThenBy(name => name, StringComparer.Ordinal)]
            : [.. names.Order(StringComparer.Ordinal)];
    }

    private IReadOnlyList<double> Filled(CsvFile file, int row, TableColumn column) => Impute != ImputeMethod.None ? column.Fill
        : throw new InvalidDataException($"{file.Where(row, column.Name)}: the value is missing; train with --impute mean or median (ImputeMethod) to fill missing values, or fill it in the file");
}
