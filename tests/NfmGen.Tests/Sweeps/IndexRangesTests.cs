using NfmGen.Cli.Sweeps;

namespace NfmGen.Tests.Sweeps;

/// <summary><see cref="IndexRanges"/>: Slurm's <c>--array</c> lists, both ways.</summary>
public sealed class IndexRangesTests
{
    [Theory]
    [InlineData(new[] { 0, 1, 2, 3 }, "0-3")]
    [InlineData(new[] { 15, 3, 7, 12, 13, 14, 7 }, "3,7,12-15")]
    [InlineData(new[] { 5 }, "5")]
    [InlineData(new[] { 0, 2, 4 }, "0,2,4")]
    public void Indexes_are_written_ascending_with_runs_compressed_and_read_back(int[] indexes, string text)
    {
        Assert.Equal(text, IndexRanges.Format(indexes));
        Assert.Equal(indexes.Distinct().Order(), IndexRanges.Parse(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("3-1")]
    [InlineData("1,x")]
    [InlineData("1-2-3")]
    public void Text_that_is_not_a_list_of_indexes_is_refused_quoting_it(string text) =>
        Assert.Contains($"'{text}'", Assert.Throws<FormatException>(() => IndexRanges.Parse(text)).Message);

    [Fact]
    public void No_index_or_a_negative_one_is_refused() =>
        Assert.All([[], new[] { -1 }], (int[] indexes) => Assert.Throws<ArgumentException>(() => IndexRanges.Format(indexes)));
}
