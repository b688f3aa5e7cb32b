using NfmGen.Mixing.PuzzleMix;

namespace NfmGen.Tests.Mixing.PuzzleMix;

public class GridEnergyTests
{
    private static readonly long[,] SquaredDistance3 = { { 0, 1, 4 }, { 1, 0, 1 }, { 4, 1, 0 } };

    // A 2 x 3 grid, pixels 0 1 2 over 3 4 5.
    private static readonly long[,] Unary = { { 1, 2, 3 }, { 4, 5, 6 }, { 7, 8, 9 }, { 10, 11, 12 }, { 13, 14, 15 }, { 16, 17, 18 } };
    private static readonly long[,] Vertical = { { 2, 3, 5 } };        // 0-3, 1-4, 2-5
    private static readonly long[,] Horizontal = { { 7, 11 }, { 13, 17 } }; // 0-1, 1-2 / 3-4, 4-5

    private static GridEnergy Energy() => new(2, 3, Unary, SquaredDistance3, Vertical, Horizontal);

    [Fact]
    public void The_energy_adds_unary_costs_and_weighted_label_pair_costs_over_vertical_and_horizontal_edges()
    {
        int[] labels = [0, 2, 2, 1, 1, 0];
        // Unary: 1 + 6 + 9 + 11 + 14 + 16 = 57.
        // Vertical: 0-3 2·V(0,1)=2, 1-4 3·V(2,1)=3, 2-5 5·V(2,0)=20. Horizontal: 0-1 7·V(0,2)=28, 1-2 0, 3-4 0, 4-5 17·V(1,0)=17.
        Assert.Equal(57 + 2 + 3 + 20 + 28 + 17, Energy().Evaluate(labels));
    }

    [Fact]
    public void Puzzle_Mix_label_distances_are_scaled_squared_distances_a_semi_metric_but_not_a_metric_for_three_labels()
    {
        var costs = GridEnergy.SquaredLabelDistances(3, 100);
        Assert.Equal(new long[,] { { 0, 25, 100 }, { 25, 0, 25 }, { 100, 25, 0 } }, costs);
        Assert.True(costs[0, 2] > costs[0, 1] + costs[1, 2]); // the triangle inequality fails, so α-expansion would not apply
        _ = new GridEnergy(1, 3, new long[3, 3], costs, new long[0, 3], new long[1, 2]); // accepted by the swap's check

        Assert.Equal(new long[,] { { 0, 11, 44, 100 }, { 11, 0, 11, 44 }, { 44, 11, 0, 11 }, { 100, 44, 11, 0 } }, GridEnergy.SquaredLabelDistances(4, 100));
        Assert.Equal(new long[,] { { 0 } }, GridEnergy.SquaredLabelDistances(1, 100));
        Assert.Contains("scale must be >= 1 (was 0)", Assert.Throws<ArgumentOutOfRangeException>(() => GridEnergy.SquaredLabelDistances(3, 0)).Message);
    }

    [Fact]
    public void The_tables_are_copied_so_later_edits_do_not_change_the_energy()
    {
        var unary = (long[,])Unary.Clone();
        var energy = new GridEnergy(2, 3, unary, SquaredDistance3, Vertical, Horizontal);
        var before = energy.Evaluate(new int[6]);
        unary[0, 0] = 1000;
        Assert.Equal(before, energy.Evaluate(new int[6]));
    }

    [Fact]
    public void Tables_of_the_wrong_shape_are_refused_with_both_shapes()
    {
        Assert.Contains("unaryCosts must have shape [rows * columns, labels >= 1] = [6, 3] (was [5, 3])",
            Assert.Throws<ArgumentException>(() => new GridEnergy(2, 3, new long[5, 3], SquaredDistance3, Vertical, Horizontal)).Message);
        Assert.Contains("(was [6, 0])",
            Assert.Throws<ArgumentException>(() => new GridEnergy(2, 3, new long[6, 0], new long[0, 0], Vertical, Horizontal)).Message);
        Assert.Contains("labelPairCosts must have shape [labels, labels] = [3, 3] (was [2, 2])",
            Assert.Throws<ArgumentException>(() => new GridEnergy(2, 3, Unary, new long[2, 2], Vertical, Horizontal)).Message);
        Assert.Contains("verticalWeights must have shape [rows - 1, columns] = [1, 3] (was [2, 3])",
            Assert.Throws<ArgumentException>(() => new GridEnergy(2, 3, Unary, SquaredDistance3, new long[2, 3], Horizontal)).Message);
        Assert.Contains("horizontalWeights must have shape [rows, columns - 1] = [2, 2] (was [2, 3])",
            Assert.Throws<ArgumentException>(() => new GridEnergy(2, 3, Unary, SquaredDistance3, Vertical, new long[2, 3])).Message);
        Assert.Contains("rows must be >= 1 (was 0)",
            Assert.Throws<ArgumentOutOfRangeException>(() => new GridEnergy(0, 3, new long[0, 3], SquaredDistance3, new long[0, 3], new long[0, 2])).Message);
    }

    [Fact]
    public void A_label_pair_cost_that_is_not_a_semi_metric_is_refused_naming_the_entry()
    {
        Assert.Contains("V[1, 1] must be 0 (was 2)", Refuse(new long[,] { { 0, 1, 4 }, { 1, 2, 1 }, { 4, 1, 0 } }));
        Assert.Contains("V[0, 2] must equal V[2, 0] (were 4 and 3)", Refuse(new long[,] { { 0, 1, 4 }, { 1, 0, 1 }, { 3, 1, 0 } }));
        Assert.Contains("V[1, 2] must be >= 0 (was -1)", Refuse(new long[,] { { 0, 1, 4 }, { 1, 0, -1 }, { 4, -1, 0 } }));

        static string Refuse(long[,] pairCosts) =>
            Assert.Throws<ArgumentException>(() => new GridEnergy(2, 3, Unary, pairCosts, Vertical, Horizontal)).Message;
    }

    [Fact]
    public void Negative_edge_weights_are_refused_naming_the_edge()
    {
        Assert.Contains("verticalWeights[0, 2] must be >= 0 (was -5)",
            Assert.Throws<ArgumentException>(() => new GridEnergy(2, 3, Unary, SquaredDistance3, new long[,] { { 2, 3, -5 } }, Horizontal)).Message);
        Assert.Contains("horizontalWeights[1, 0] must be >= 0 (was -13)",
            Assert.Throws<ArgumentException>(() => new GridEnergy(2, 3, Unary, SquaredDistance3, Vertical, new long[,] { { 7, 11 }, { -13, 17 } })).Message);
    }

    [Fact]
    public void A_labelling_of_the_wrong_length_or_with_unknown_labels_is_refused()
    {
        Assert.Contains("one label per pixel: 6 (was 5)", Assert.Throws<ArgumentException>(() => Energy().Evaluate(new int[5])).Message);
        Assert.Contains("Labels must be in [0, 3) (pixel 4 was -1)",
            Assert.Throws<ArgumentException>(() => Energy().Evaluate(new[] { 0, 0, 0, 0, -1, 0 })).Message);
    }
}
