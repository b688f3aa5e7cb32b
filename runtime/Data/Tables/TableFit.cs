namespace NfmGen.Data.Tables;

/// <summary>Fits a <see cref="TableSchema"/>'s statistics on the training rows of a CSV file, and nothing else.</summary>
internal static class TableFit
{
    /// <summary>
    /// The schema of <paramref name="file"/> as <paramref name="options"/> read it: statistics, frequencies and fills
    /// fitted on <paramref name="trainRows"/>; each categorical column's categories from every row of the file (they
    /// carry no label, and a rare one held out for testing would otherwise make the file refuse itself).
    /// </summary>
    /// <exception cref="InvalidDataException">An input column has no value in the training rows; the message names it.</exception>
    public static TableSchema Fit(CsvFile file, IReadOnlyList<int> trainRows, CsvOptions options, IReadOnlyList<string> classNames, TableSource train, TableSource? test)
    {
        var columns = file.Header
            .Where(name => name != options.Label && !options.Ignore.Contains(name))
            .Select(name => options.Categorical.Contains(name)
                ? Categorical(file, name, trainRows, options.Impute)
                : Numeric(file, name, trainRows, options.Impute))
            .ToArray();
        if (columns.Length == 0)
            throw new InvalidDataException($"{file.Path}: no input columns are left besides the label '{options.Label}' and the ignored ones ({string.Join(", ", options.Ignore)})");
        return new TableSchema(options.Label, classNames, columns, [.. options.Ignore], options.Impute, train, test,
            test is null ? options.TestFraction : null, options.SplitSeed);
    }

    private static TableColumn Numeric(CsvFile file, string name, IReadOnlyList<int> rows, ImputeMethod impute)
    {
        var column = file.Numbers[name];
        var values = new List<double>(rows.Count);
        foreach (var row in rows)
        {
            if (!double.IsNaN(column[row]))
                values.Add(column[row]);
        }
        if (values.Count == 0)
            throw new InvalidDataException($"{file.Path}: column '{name}' has no value in the training rows; --ignore it");
        double mean = 0, squares = 0;
        foreach (var value in values)
            mean += value;
        mean /= values.Count;
        foreach (var value in values)
            squares += (value - mean) * (value - mean);
        var variance = squares / values.Count;
        // A constant column is left unscaled (scikit-learn's StandardScaler does the same): its inputs are 0.
        var std = variance > 0 ? Math.Sqrt(variance) : 1;
        var fill = impute == ImputeMethod.Median ? Median(values) : mean;
        return new TableColumn(name, TableColumnKind.Numeric, mean, std, null, [(fill - mean) / std]);
    }

    private static TableColumn Categorical(CsvFile file, string name, IReadOnlyList<int> rows, ImputeMethod impute)
    {
        var column = file.Texts[name];
        var values = rows.Select(row => column[row]).OfType<string>().ToArray();
        if (values.Length == 0)
            throw new InvalidDataException($"{file.Path}: column '{name}' has no value in the training rows; --ignore it");
        var countOf = values.CountBy(value => value, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal);
        var categories = column.OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var counts = categories.Select(category => (double)countOf.GetValueOrDefault(category)).ToArray();
        var mode = Array.IndexOf(counts, counts.Max());
        var fill = impute == ImputeMethod.Median
            ? counts.Select((_, index) => index == mode ? 1.0 : 0).ToArray()
            : counts.Select(count => count / values.Length).ToArray();
        return new TableColumn(name, TableColumnKind.Categorical, 0, 1, categories, fill);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
