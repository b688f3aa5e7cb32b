using System.Collections.Frozen;
using System.Globalization;
using nietras.SeparatedValues;

namespace NfmGen.Data.Tables;

/// <summary>What <see cref="CsvFile.Read"/> keeps of a column.</summary>
internal enum ColumnRole
{
    /// <summary>Parsed as a number; NaN where missing.</summary>
    Numeric,

    /// <summary>Kept as text (a class or a category); null where missing.</summary>
    Text,
}

/// <summary>
/// A CSV file read column by column with Sep: a header row naming the columns, then one row per sample. The separator
/// is detected from the header (comma, semicolon, tab or pipe; not a space); fields may be quoted as RFC 4180 quotes them (a quoted
/// field may hold the separator, doubled quotes and line breaks); numbers are read in the invariant culture (a point
/// for decimals). Every error names the file, the line and the column.
/// </summary>
internal sealed class CsvFile
{
    /// <summary>The fields that count as missing, besides an empty one (pandas' usual markers, and UCI's <c>?</c>).</summary>
    public static readonly FrozenSet<string> MissingTokens =
        new[] { "NA", "N/A", "NaN", "nan", "null", "NULL", "None", "?", "#N/A" }.ToFrozenSet(StringComparer.Ordinal);

    private readonly int[] lines;

    private CsvFile(string path, IReadOnlyList<string> header, int[] lines, Dictionary<string, double[]> numbers, Dictionary<string, string?[]> texts,
        string[][]? fields)
    {
        Path = path;
        Header = header;
        this.lines = lines;
        Numbers = numbers;
        Texts = texts;
        Fields = fields;
    }

    /// <summary>The file as given.</summary>
    public string Path { get; }

    /// <summary>The column names, in order.</summary>
    public IReadOnlyList<string> Header { get; }

    /// <summary>The number of data rows.</summary>
    public int Rows => lines.Length;

    /// <summary>The numeric columns' values per row, NaN where missing.</summary>
    public IReadOnlyDictionary<string, double[]> Numbers { get; }

    /// <summary>The text columns' values per row, null where missing.</summary>
    public IReadOnlyDictionary<string, string?[]> Texts { get; }

    /// <summary>Every field of every row as written (unquoted), when <see cref="Read"/> was asked to keep them; else null.</summary>
    public string[][]? Fields { get; }

    /// <summary>Where row <paramref name="row"/> (0-based) of column <paramref name="column"/> is, for messages.</summary>
    public string Where(int row, string column) => $"{Path}, line {lines[row]}, column '{column}'";

    /// <summary>Reads the file at <paramref name="path"/>.</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="roleOf">What to keep of each header column; null leaves it out.</param>
    /// <param name="required">Columns the header must name.</param>
    /// <param name="keepFields">Also keep every field as text (<see cref="Fields"/>).</param>
    /// <exception cref="FileNotFoundException">There is no file.</exception>
    /// <exception cref="InvalidDataException">
    /// The file is empty, has no header (or not the required columns), repeats a column name, has a row with another
    /// number of fields than the header, or a numeric column holds a field that is not a finite number.
    /// </exception>
    public static CsvFile Read(string path, Func<string, ColumnRole?> roleOf, IReadOnlyList<string> required, bool keepFields = false)
    {
        ArgumentNullException.ThrowIfNull(roleOf);
        if (!File.Exists(path))
            throw new FileNotFoundException($"no CSV file at {System.IO.Path.GetFullPath(path)}", path);
        if (new FileInfo(path).Length == 0 || File.ReadLines(path).All(string.IsNullOrWhiteSpace))
            throw new InvalidDataException($"{path} is empty: a CSV file starts with a header row naming its columns, then one row per sample");
        SepReader reader;
        try
        {
            reader = Sep.Reader(options => options with { Unescape = true, DisableColCountCheck = true, Trim = SepTrim.Outer }).FromFile(path);
        }
        catch (ArgumentException error)
        {
            throw new InvalidDataException($"{path}: its header row cannot be read as column names ({error.Message}); each column needs a distinct name", error);
        }
        using (reader)
        {
            var header = reader.Header.ColNames.ToArray();
            CheckHeader(path, header, required);
            var roles = header.Select(roleOf).ToArray();
            var numberColumns = new List<double>[header.Length];
            var textColumns = new List<string?>[header.Length];
            var interned = new Dictionary<string, string>(StringComparer.Ordinal);
            // Rows about as long as the first hundred: lists that rarely grow, rather than a doubling per column (and its
            // garbage); at most a million rows reserved, beyond that they grow.
            var sample = File.ReadLines(path).Skip(1).Take(100).Where(line => line.Length > 0).Select(line => line.Length + 1).DefaultIfEmpty(1).Average();
            var rows = (int)Math.Min(1 << 20, new FileInfo(path).Length / sample * 1.1 + 16);
            for (var c = 0; c < header.Length; c++)
            {
                if (roles[c] == ColumnRole.Numeric)
                    numberColumns[c] = new List<double>(rows);
                else if (roles[c] == ColumnRole.Text)
                    textColumns[c] = new List<string?>(rows);
            }
            var lines = new List<int>(rows);
            var fields = keepFields ? new List<string[]>() : null;
            foreach (var row in reader)
            {
                if (row.ColCount == 1 && row[0].Span.IsWhiteSpace())
                    continue; // a blank line (often the last)
                if (row.ColCount != header.Length)
                    throw new InvalidDataException(
                        $"{path}, line {row.LineNumberFrom}: the row has {row.ColCount} fields, the header {header.Length} ({string.Join(", ", header)}); every row needs one field per column (quote a field that holds the separator)");
                lines.Add(row.LineNumberFrom);
                for (var c = 0; c < header.Length; c++)
                {
                    if (roles[c] == ColumnRole.Numeric)
                        numberColumns[c].Add(Number(row[c], path, row.LineNumberFrom, header[c]));
                    else if (roles[c] == ColumnRole.Text)
                        textColumns[c].Add(IsMissing(row[c].Span) ? null : Intern(interned, row[c].Span));
                }
                fields?.Add(row[..].ToStringsArray());
            }
            if (lines.Count == 0)
                throw new InvalidDataException($"{path} has a header ({string.Join(", ", header)}) but no rows");
            var numbers = new Dictionary<string, double[]>(StringComparer.Ordinal);
            var texts = new Dictionary<string, string?[]>(StringComparer.Ordinal);
            for (var c = 0; c < header.Length; c++)
            {
                if (numberColumns[c] is { } values)
                    numbers[header[c]] = [.. values];
                else if (textColumns[c] is { } strings)
                    texts[header[c]] = [.. strings];
            }
            return new CsvFile(path, header, [.. lines], numbers, texts, fields?.ToArray());
        }
    }

    private static bool IsMissing(ReadOnlySpan<char> field) => field.IsEmpty || MissingTokens.GetAlternateLookup<ReadOnlySpan<char>>().Contains(field);

    // Sep's parser (csFastFloat, the invariant culture) first: the missing markers are looked up only for a field that is
    // not a number. A comma is refused before it: Sep's fallback reads it as a thousands separator, so "1,5" would be 15.
    private static double Number(SepReader.Col field, string path, int line, string column)
    {
        if (!field.Span.Contains(',') && field.TryParse<double>(out var value))
        {
            if (double.IsFinite(value) || double.IsNaN(value)) // NaN: pandas' marker of a missing value
                return value;
        }
        else if (IsMissing(field.Span))
        {
            return double.NaN;
        }
        throw new InvalidDataException(
            $"{path}, line {line}, column '{column}': '{field.Span}' is not a finite number (numbers use a point for decimals and no thousands separator); if the column holds categories, name it in --categorical; if it is not an input, in --ignore");
    }

    private static string Intern(Dictionary<string, string> interned, ReadOnlySpan<char> field)
    {
        var lookup = interned.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(field, out var known))
            return known;
        var text = field.ToString();
        interned[text] = text;
        return text;
    }

    // A header that lacks a required column is most often no header at all: the first row is data.
    private static void CheckHeader(string path, string[] header, IReadOnlyList<string> required)
    {
        if (header.Length == 0 || header.All(string.IsNullOrWhiteSpace))
            throw new InvalidDataException($"{path}: its first row names no columns; a CSV file starts with a header row naming its columns");
        if (header.FirstOrDefault(string.IsNullOrWhiteSpace) is not null)
            throw new InvalidDataException($"{path}: column {Array.FindIndex(header, string.IsNullOrWhiteSpace) + 1} of the header has no name; every column needs one");
        var missing = required.Where(name => !header.Contains(name, StringComparer.Ordinal)).ToArray();
        if (missing.Length == 0)
            return;
        var looksLikeData = header.Count(name => double.TryParse(name, NumberStyles.Float, CultureInfo.InvariantCulture, out _)) * 2 > header.Length;
        throw new InvalidDataException(looksLikeData
            ? $"{path} has no header row: its first row ({string.Join(", ", header.Take(8))}{(header.Length > 8 ? ", …" : "")}) holds numbers, not column names; add a header row naming the columns ({string.Join(", ", missing)} among them)"
            : $"{path} has no column {string.Join(", ", missing.Select(name => $"'{name}'"))} (its columns: {string.Join(", ", header)})"
              + (header.Length == 1 ? "; columns are separated by a comma, semicolon, tab or pipe, which the header row must show" : ""));
    }
}
