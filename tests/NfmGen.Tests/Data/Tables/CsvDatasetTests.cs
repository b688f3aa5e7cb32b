using System.Globalization;
using NfmGen.Data.Tables;
using static TorchSharp.torch;

namespace NfmGen.Tests.Data.Tables;

/// <summary>
/// <see cref="CsvDataset"/>: the encoding against scikit-learn's and pandas' (golden files written by
/// <c>tools/tabular_reference.py encoding</c>), the seeded stratified split and its reopening, and the refusal of bad files.
/// </summary>
public sealed class CsvDatasetTests : IDisposable
{
    private static readonly string Golden = Path.Combine(RepositoryPaths.Root, "tests", "NfmGen.Tests", "Data", "Tables", "Golden");
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    private static CsvOptions Mixed(ImputeMethod impute) => new("grade")
    {
        Categorical = ["color", "size"],
        Ignore = ["id"],
        Impute = impute,
        TestFile = Path.Combine(Golden, "mixed-test.csv"),
    };

    [Theory]
    [InlineData(ImputeMethod.Median, "median")]
    [InlineData(ImputeMethod.Mean, "mean")]
    public void Rows_are_encoded_as_scikit_learn_and_pandas_encode_them(ImputeMethod impute, string name)
    {
        var (train, test) = CsvDataset.Open(Path.Combine(Golden, "mixed-train.csv"), Mixed(impute));
        using (train)
        using (test)
        {
            foreach (var (data, split) in new[] { (train, "train"), (test, "test") })
            {
                var (labels, inputs) = ReadGolden(Path.Combine(Golden, $"mixed-{name}-{split}.csv"));
                Assert.Equal(labels, data.Labels.data<long>().ToArray());
                var actual = data.Features.data<float>().ToArray();
                Assert.Equal(inputs.Length, actual.Length);
                var worst = inputs.Zip(actual, (expected, got) => Math.Abs(expected - got)).Max();
                Assert.True(worst < 1e-5, $"{split}, impute {name}: max |difference| {worst:G3} against scikit-learn's encoding");
            }
            // Numbers as numbers ("10" after "9"), one-hot columns in the categories' ordinal order, the label and id left out.
            Assert.Equal(["2", "9", "10"], train.Schema.ClassNames);
            Assert.Equal(["age", "income", "color", "size"], train.Schema.Columns.Select(column => column.Name));
            Assert.Equal(["large, extra", "medium", "small"], train.Schema.Columns[3].Categories);
            Assert.Equal([8L], train.InputShape);
        }
    }

    [Fact]
    public void The_test_fraction_is_stratified_seeded_and_rebuilt_exactly_from_the_schema()
    {
        var path = WriteClasses(folder.File("classes.csv"), perClass: [40, 20, 8]);
        var options = new CsvOptions("label") { TestFraction = 0.25, SplitSeed = 3 };
        var (train, test) = CsvDataset.Open(path, options);
        using (train)
        using (test)
        {
            Assert.Equal([10L, 5, 2], Counts(test));
            Assert.Equal([30L, 15, 6], Counts(train));
            var (again, againTest) = CsvDataset.Reopen(test.Schema);
            using (again)
            using (againTest)
            {
                Assert.True(againTest.Features.equal(test.Features).all().item<bool>());
                Assert.True(again.Features.equal(train.Features).all().item<bool>());
                Assert.True(again.Schema.SameAs(train.Schema));
            }
            var (other, otherTest) = CsvDataset.Open(path, options with { SplitSeed = 4 });
            using (other)
            using (otherTest)
                Assert.False(otherTest.Features.equal(test.Features).all().item<bool>());

            // Moved elsewhere, the same bytes are the same table; a split drawn otherwise is caught by its fingerprint.
            var moved = folder.File("moved.csv");
            File.Copy(path, moved);
            var (movedTrain, movedTest) = CsvDataset.Reopen(test.Schema, moved);
            using (movedTrain)
            using (movedTest)
                Assert.True(movedTest.Features.equal(test.Features).all().item<bool>());
            var (reread, rereadTest) = CsvDataset.Open(moved, options);
            using (reread)
            using (rereadTest)
                Assert.True(reread.Schema.SameAs(train.Schema) && reread.Schema.Train.File != train.Schema.Train.File);
            var redrawn = Assert.Throws<InvalidDataException>(() => CsvDataset.Reopen(test.Schema with { TestRows = "0123456789abcdef" }));
            Assert.Contains("the test rows drawn now are not the run's", redrawn.Message);

            File.AppendAllText(path, "99,0\n");
            var changed = Assert.Throws<InvalidDataException>(() => CsvDataset.Reopen(test.Schema));
            Assert.Contains("is not the file the run was trained on", changed.Message);
        }
    }

    public static TheoryData<string, string, string[]> BadFiles => new()
    {
        { "ragged", "x,y,label\n1,2,a\n3,b\n", ["line 3", "2 fields, the header 3"] },
        { "not a number", "x,y,label\n1,2,a\n3,zz,b\n", ["line 3, column 'y'", "'zz' is not a finite number", "--categorical"] },
        { "empty", "", ["is empty", "header row"] },
        { "blank lines only", "\n\n", ["is empty"] },
        { "header missing", "1,2,0\n3,4,1\n", ["has no header row", "1, 2, 0"] },
        { "label column missing", "x,y,class\n1,2,a\n", ["has no column 'label'", "x, y, class"] },
        { "header only", "x,y,label\n", ["has a header", "but no rows"] },
        { "missing value", "x,y,label\n1,,a\n3,4,b\n5,6,a\n7,8,b\n", ["line 2, column 'y'", "the value is missing", "--impute"] },
        { "missing class", "x,y,label\n1,2,\n3,4,b\n", ["line 2, column 'label'", "the class is missing"] },
        { "duplicate names", "x,x,label\n1,2,a\n", ["each column needs a distinct name"] },
        { "nameless column", "x,,label\n1,2,a\n", ["column 2 of the header has no name"] },
        { "decimal comma", "x;y;label\n1,5;2;a\n3;4;b\n", ["line 2, column 'x'", "'1,5' is not a finite number", "no thousands separator"] },
        { "quoted thousands", "x,y,label\n\"1,500\",2,a\n3,4,b\n", ["line 2, column 'x'", "'1,500' is not a finite number"] },
        { "one class", "x,label\n1,a\n2,a\n", ["column 'label' holds one class ('a')"] },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void A_bad_file_is_refused_naming_where_and_why(string name, string text, string[] expected)
    {
        var path = folder.File(name.Replace(' ', '-') + ".csv");
        File.WriteAllText(path, text);

        var error = Assert.ThrowsAny<Exception>(() => CsvDataset.Open(path, new CsvOptions("label") { TestFraction = 0.5 }));

        Assert.True(error is InvalidDataException, $"{name}: {error.GetType().Name}: {error.Message}");
        Assert.Contains(path, error.Message);
        foreach (var part in expected)
            Assert.Contains(part, error.Message);
    }

    [Fact]
    public void A_test_file_with_a_class_or_category_unseen_in_training_is_refused_by_value()
    {
        var train = folder.File("train.csv");
        File.WriteAllText(train, "x,color,label\n1,red,a\n2,blue,b\n3,red,a\n4,blue,b\n");
        var unknownClass = folder.File("class.csv");
        File.WriteAllText(unknownClass, "x,color,label\n1,red,a\n2,blue,z\n");
        var unknownCategory = folder.File("category.csv");
        File.WriteAllText(unknownCategory, "x,color,label\n1,green,a\n");
        var options = new CsvOptions("label") { Categorical = ["color"] };

        var byClass = Assert.Throws<InvalidDataException>(() => CsvDataset.Open(train, options with { TestFile = unknownClass }));
        var byCategory = Assert.Throws<InvalidDataException>(() => CsvDataset.Open(train, options with { TestFile = unknownCategory }));

        Assert.Contains($"{unknownClass}, line 3, column 'label': class 'z' is not one the model was trained on (accepted: a, b)", byClass.Message);
        Assert.Contains($"{unknownCategory}, line 2, column 'color': category 'green' is not one the model was trained on (accepted: blue, red)", byCategory.Message);
    }

    [Fact]
    public void Options_that_name_unknown_or_repeated_columns_are_refused()
    {
        var path = folder.File("small.csv");
        File.WriteAllText(path, "x;y;label\n1;2;a\n3;4;b\n5;6;a\n7;8;b\n"); // semicolons: detected from the header

        var unknown = Assert.Throws<InvalidDataException>(() => CsvDataset.Open(path, new CsvOptions("label") { Ignore = ["id"] }));
        var twice = Assert.Throws<ArgumentException>(() => CsvDataset.Open(path, new CsvOptions("label") { Ignore = ["x"], Categorical = ["x"] }));
        var (train, test) = CsvDataset.Open(path, new CsvOptions("label") { TestFraction = 0.5 });
        using (train)
        using (test)
            Assert.Equal([2L], train.InputShape);

        Assert.Contains("has no column 'id'", unknown.Message);
        Assert.Contains("column 'x' is named twice", twice.Message);
    }

    [Fact]
    public void A_category_seen_once_opens_whichever_side_of_the_split_it_falls_on()
    {
        var path = folder.File("rare.csv");
        File.WriteAllLines(path, ["color,x,label", "purple,0,a", .. Enumerable.Range(1, 19).Select(i => FormattableString.Invariant($"{(i % 2 == 0 ? "red" : "blue")},{i},{(i % 2 == 0 ? "a" : "b")}"))]);

        foreach (var seed in Enumerable.Range(0, 8))
        {
            var (train, test) = CsvDataset.Open(path, new CsvOptions("label") { Categorical = ["color"], SplitSeed = seed, TestFraction = 0.3 });
            using (train)
            using (test)
                Assert.Equal(["blue", "purple", "red"], train.Schema.Columns[0].Categories);
        }
    }

    private static long[] Counts(CsvDataset data) => [.. Enumerable.Range(0, data.ClassCount).Select(k => data.Labels.eq(k).sum().item<long>())];

    private static string WriteClasses(string path, int[] perClass)
    {
        var lines = new List<string> { "value,label" };
        var row = 0;
        for (var k = 0; k < perClass.Length; k++)
            for (var i = 0; i < perClass[k]; i++)
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"{row++ * 0.5},{k}"));
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        return path;
    }

    private static (long[] Labels, double[] Inputs) ReadGolden(string path)
    {
        var rows = File.ReadAllLines(path).Skip(1).Select(line => line.Split(',').Select(value => double.Parse(value, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        return ([.. rows.Select(row => (long)row[0])], [.. rows.SelectMany(row => row.Skip(1))]);
    }
}
