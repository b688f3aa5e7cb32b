using System.CommandLine;
using System.Globalization;
using NfmGen.Cli.Commands;
using NfmGen.Data.Tables;

namespace NfmGen.Cli.Data;

/// <summary>The options of <c>nfm train</c> that say how a CSV file (<c>--dataset csv</c>) becomes rows and classes, and the <see cref="CsvOptions"/> they give.</summary>
internal sealed class TableArguments
{
    private static readonly string[] Imputations = ["mean", "median"];

    public Option<string?> Label { get; } = new("--label") { Description = "CSV: the column that holds each row's class (required for --dataset csv)." };

    public Option<string?> Test { get; } = new("--test") { Description = "CSV: a file of test rows with the same columns (default: hold out --test-fraction of --data)." };

    public Option<double?> TestFraction { get; } = new("--test-fraction")
    {
        Description = string.Create(CultureInfo.InvariantCulture,
            $"CSV: the fraction of each class's rows of --data held out for testing, drawn with --split-seed (default {CsvOptions.DefaultTestFraction})."),
    };

    public Option<long?> SplitSeed { get; } = new("--split-seed") { Description = "CSV: the seed of the test hold-out (default 0; runs of every --seed share it, so they are tested on the same rows)." };

    public Option<string?> Categorical { get; } = new("--categorical") { Description = "CSV: columns of categories, comma-separated, one-hot encoded over the training rows' categories (other columns are numbers, standardised)." };

    public Option<string?> Ignore { get; } = new("--ignore") { Description = "CSV: columns that are not inputs (an id), comma-separated." };

    public Option<string?> Impute { get; } = new Option<string?>("--impute")
    {
        Description = "CSV: fill missing values (empty, NA, NaN, ?) with the training rows' mean or median (categories: their frequencies, or the most frequent); default: refuse them.",
    }.OneOf(Imputations);

    /// <summary>The options, in the order <c>nfm train --help</c> lists them.</summary>
    public IEnumerable<Option> All => [Label, Test, TestFraction, SplitSeed, Categorical, Ignore, Impute];

    /// <summary>The CSV options for <paramref name="dataset"/>; null, and none may be given, for other datasets.</summary>
    /// <exception cref="ArgumentException">An option is given for another dataset, --label is missing, or the options disagree.</exception>
    public CsvOptions? Parse(ParseResult result, string dataset)
    {
        Option[] given = [.. All.Where(option => result.GetResult(option) is { Implicit: false })];
        if (!dataset.Equals(DatasetCatalog.Csv, StringComparison.OrdinalIgnoreCase))
        {
            return given.Length == 0 ? null
                : throw new ArgumentException($"{string.Join(", ", given.Select(option => option.Name))}: only for --dataset csv (was {dataset})");
        }
        var label = result.GetValue(Label) ?? throw new ArgumentException("--dataset csv needs --label, the column that holds each row's class");
        var test = result.GetValue(Test);
        if (test is not null && (result.GetValue(TestFraction) is not null || result.GetValue(SplitSeed) is not null))
            throw new ArgumentException("--test names the test rows; --test-fraction and --split-seed draw them from --data instead: give one or the other");
        var options = new CsvOptions(label)
        {
            Categorical = Columns(result.GetValue(Categorical), Categorical.Name),
            Ignore = Columns(result.GetValue(Ignore), Ignore.Name),
            Impute = result.GetValue(Impute)?.ToLowerInvariant() switch { "mean" => ImputeMethod.Mean, "median" => ImputeMethod.Median, _ => ImputeMethod.None },
            TestFile = test is null ? null : Path.GetFullPath(test),
            TestFraction = result.GetValue(TestFraction) ?? CsvOptions.DefaultTestFraction,
            SplitSeed = result.GetValue(SplitSeed) ?? 0,
        };
        options.Validate();
        return options;
    }

    private static string[] Columns(string? list, string option)
    {
        if (list is null)
            return [];
        var names = list.Split(',', StringSplitOptions.TrimEntries);
        return names.Any(name => name.Length == 0)
            ? throw new ArgumentException($"{option} '{list}' holds an empty column name: name the columns separated by commas, such as color,size")
            : names;
    }
}
