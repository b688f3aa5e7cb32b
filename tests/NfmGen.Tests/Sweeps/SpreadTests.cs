using NfmGen.Reports;

namespace NfmGen.Tests.Sweeps;

/// <summary>The mean ± sample standard deviation of a group's seeds.</summary>
public sealed class SpreadTests
{
    [Fact]
    public void The_standard_deviation_is_the_sample_one_divided_by_n_minus_one()
    {
        var spread = Spread.Of([0.5, 0.75, 1.0]);

        Assert.Equal(0.75, spread.Mean, 15);
        Assert.Equal(0.25, spread.StandardDeviation!.Value, 15); // sqrt((0.0625 + 0 + 0.0625) / 2); dividing by n would give 0.204
        Assert.Equal(3, spread.Count);
    }

    [Fact]
    public void One_value_has_no_known_spread_and_none_is_refused()
    {
        Assert.Equal(new Spread(0.9, null, 1), Spread.Of([0.9]));
        Assert.Contains("at least one value", Assert.Throws<ArgumentException>(() => Spread.Of([])).Message);
    }
}
