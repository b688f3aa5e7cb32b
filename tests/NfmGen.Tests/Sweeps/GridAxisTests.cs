using NfmGen.Cli.Sweeps;

namespace NfmGen.Tests.Sweeps;

/// <summary><c>--grid</c>'s syntax: lists, ranges, and lists of values that hold commas.</summary>
public sealed class GridAxisTests
{
    [Theory]
    [InlineData("scheme=erm,mixup,nfm", "scheme", new[] { "erm", "mixup", "nfm" })]
    [InlineData("seed=1..5", "seed", new[] { "1", "2", "3", "4", "5" })]
    [InlineData("seed=-1..1", "seed", new[] { "-1", "0", "1" })]
    [InlineData("--alpha=0.2, 1.0", "alpha", new[] { "0.2", "1.0" })]
    [InlineData("mix-points=0;1,2;all", "mix-points", new[] { "0", "1,2", "all" })]
    [InlineData("seed=7", "seed", new[] { "7" })]
    public void Parses_lists_and_ranges(string text, string option, string[] values)
    {
        var axis = GridAxis.Parse(text);

        Assert.Equal(option, axis.Option);
        Assert.Equal(values, axis.Values);
    }

    [Theory]
    [InlineData("seed", "is not of the form")]
    [InlineData("=1,2", "is not of the form")]
    [InlineData("seed=", "is not of the form")]
    [InlineData("seed=5..1", "range '5..1' is empty")]
    [InlineData("seed=1,,2", "has an empty value")]
    [InlineData("seed=1,2,1", "lists '1' twice")]
    [InlineData("seed=0..200000", "at most 100,000")]
    public void Refuses_what_is_not_an_axis_saying_why(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => GridAxis.Parse(text));
        Assert.Contains(expected, error.Message);
    }
}
