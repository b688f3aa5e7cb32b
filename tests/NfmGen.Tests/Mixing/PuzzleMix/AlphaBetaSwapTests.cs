using NfmGen.Mixing.PuzzleMix;

namespace NfmGen.Tests.Mixing.PuzzleMix;

public class AlphaBetaSwapTests
{
    /// <summary>Puzzle Mix's V(i, j) = (i − j)² / (n − 1)² for 3 labels, times 4 to be integer: not a metric.</summary>
    private static readonly long[,] SquaredDistance3 = { { 0, 1, 4 }, { 1, 0, 1 }, { 4, 1, 0 } };

    private static readonly (int Rows, int Columns)[] SmallGrids = [(1, 1), (1, 5), (2, 2), (2, 3), (3, 3), (3, 4), (4, 3)];

    /// <summary>A random energy: unary costs of either sign, weights ≥ 0 (some zero).</summary>
    private static GridEnergy RandomEnergy(Random random, int rows, int columns, long[,] pairCosts, int maxUnary = 100, int maxWeight = 30)
    {
        var labels = pairCosts.GetLength(0);
        var unary = new long[rows * columns, labels];
        for (var pixel = 0; pixel < rows * columns; pixel++)
        {
            for (var label = 0; label < labels; label++)
                unary[pixel, label] = random.Next(-maxUnary / 4, maxUnary + 1);
        }
        return new GridEnergy(rows, columns, unary, pairCosts,
            RandomWeights(random, rows - 1, columns, maxWeight), RandomWeights(random, rows, columns - 1, maxWeight));
    }

    private static long[,] RandomWeights(Random random, int rows, int columns, int maxWeight)
    {
        var weights = new long[rows, columns];
        for (var row = 0; row < rows; row++)
        {
            for (var column = 0; column < columns; column++)
                weights[row, column] = random.Next(4) == 0 ? 0 : random.Next(maxWeight + 1);
        }
        return weights;
    }

    private static long[,] Potts2(long cost) => new long[,] { { 0, cost }, { cost, 0 } };

    /// <summary>Every labelling of the grid with <paramref name="labels"/> labels, as pixel → label arrays.</summary>
    private static IEnumerable<int[]> AllLabellings(int pixels, int labels)
    {
        var labelling = new int[pixels];
        var total = (long)Math.Pow(labels, pixels);
        for (long index = 0; index < total; index++)
        {
            var rest = index;
            for (var pixel = 0; pixel < pixels; pixel++)
            {
                labelling[pixel] = (int)(rest % labels);
                rest /= labels;
            }
            yield return labelling;
        }
    }

    [Fact]
    public void With_two_labels_the_result_is_the_exact_minimum_over_every_labelling()
    {
        var random = new Random(12);
        var swap = new AlphaBetaSwap();
        foreach (var (rows, columns) in SmallGrids)
        {
            for (var trial = 0; trial < 25; trial++)
            {
                var energy = RandomEnergy(random, rows, columns, Potts2(random.Next(1, 40)));

                var labels = swap.Minimize(energy);

                var exact = AllLabellings(rows * columns, 2).Min(l => energy.Evaluate(l));
                Assert.True(energy.Evaluate(labels) == exact,
                    $"{rows}x{columns} trial {trial}: swap energy {energy.Evaluate(labels)}, exact minimum {exact}");
            }
        }
    }

    [Fact]
    public void With_three_labels_no_swap_move_lowers_the_energy_and_the_energy_never_rises()
    {
        var random = new Random(34);
        var swap = new AlphaBetaSwap();
        var loweredSomewhere = false;
        foreach (var (rows, columns) in SmallGrids)
        {
            for (var trial = 0; trial < 8; trial++)
            {
                var energy = RandomEnergy(random, rows, columns, SquaredDistance3);
                var pixels = rows * columns;
                var start = new int[pixels];
                for (var pixel = 0; pixel < pixels; pixel++)
                    start[pixel] = random.Next(3);
                var labels = (int[])start.Clone();

                swap.Minimize(energy, labels);

                var reached = energy.Evaluate(labels);
                Assert.True(reached <= energy.Evaluate(start), $"{rows}x{columns} trial {trial}: energy rose from {energy.Evaluate(start)} to {reached}");
                loweredSomewhere |= reached < energy.Evaluate(start);
                AssertNoSwapMoveLowers(energy, labels, $"{rows}x{columns} trial {trial}");
            }
        }
        Assert.True(loweredSomewhere, "No trial lowered its starting energy, so the test proves little.");
    }

    /// <summary>
    /// Brute force over every swap move: each relabelling, among α and β, of the pixels now labelled α or β.
    /// </summary>
    private static void AssertNoSwapMoveLowers(GridEnergy energy, int[] labels, string because)
    {
        var reached = energy.Evaluate(labels);
        for (var alpha = 0; alpha < energy.LabelCount; alpha++)
        {
            for (var beta = alpha + 1; beta < energy.LabelCount; beta++)
            {
                var moving = Enumerable.Range(0, labels.Length).Where(p => labels[p] == alpha || labels[p] == beta).ToArray();
                var moved = (int[])labels.Clone();
                for (var subset = 0; subset < 1 << moving.Length; subset++)
                {
                    for (var index = 0; index < moving.Length; index++)
                        moved[moving[index]] = (subset >> index & 1) == 1 ? beta : alpha;
                    var energyAfter = energy.Evaluate(moved);
                    Assert.True(energyAfter >= reached,
                        $"{because}: the swap move {alpha}-{beta} to [{string.Join(",", moved)}] lowers {reached} to {energyAfter}");
                }
            }
        }
    }

    [Fact]
    public void Every_swap_move_applied_lowers_the_energy()
    {
        // Move by move, so that a move whose graph misprices the labelling fails here instead of cycling forever.
        var random = new Random(45);
        var swap = new AlphaBetaSwap();
        for (var trial = 0; trial < 20; trial++)
        {
            var energy = RandomEnergy(random, 1 + random.Next(6), 1 + random.Next(6), SquaredDistance3);
            var labels = new int[energy.PixelCount];
            for (var pixel = 0; pixel < labels.Length; pixel++)
                labels[pixel] = random.Next(3);
            var applied = 0;
            for (var sweep = 0; sweep < 100; sweep++)
            {
                foreach (var (alpha, beta) in new[] { (0, 1), (0, 2), (1, 2) })
                {
                    var before = energy.Evaluate(labels);
                    if (!swap.TrySwap(energy, labels, alpha, beta))
                        continue;
                    applied++;
                    Assert.True(energy.Evaluate(labels) < before,
                        $"trial {trial}: the applied {alpha}-{beta} move took the energy from {before} to {energy.Evaluate(labels)}");
                }
            }
            Assert.True(applied < 100, $"trial {trial}: {applied} moves applied, the swaps do not converge");
        }
    }

    [Fact]
    public void Another_sweep_after_convergence_changes_nothing()
    {
        var random = new Random(56);
        var swap = new AlphaBetaSwap();
        for (var trial = 0; trial < 20; trial++)
        {
            var energy = RandomEnergy(random, 8, 8, SquaredDistance3);
            var labels = swap.Minimize(energy);
            var converged = (int[])labels.Clone();

            Assert.Equal(1, swap.Minimize(energy, labels)); // one sweep, which lowered nothing
            Assert.Equal(converged, labels);
            Assert.False(swap.TrySwap(energy, labels, 0, 2));
        }
    }

    [Fact]
    public void A_swap_move_that_lowers_the_energy_is_applied()
    {
        // Two pixels, both labelled 0, whose unary costs prefer label 2 strongly: the 0-2 move takes both there.
        long[,] unary = { { 50, 40, 0 }, { 50, 40, 0 } };
        var energy = new GridEnergy(1, 2, unary, SquaredDistance3, new long[0, 2], new long[,] { { 3 } });
        int[] labels = [0, 0];

        Assert.False(new AlphaBetaSwap().TrySwap(energy, labels, 1, 2)); // nobody is labelled 1 or 2
        Assert.True(new AlphaBetaSwap().TrySwap(energy, labels, 0, 2));
        Assert.Equal([2, 2], labels);
    }

    [Fact]
    public void The_same_energy_gives_the_same_labels_from_a_new_or_a_reused_solver()
    {
        var random = new Random(78);
        var reused = new AlphaBetaSwap();
        for (var trial = 0; trial < 10; trial++)
        {
            var energy = RandomEnergy(random, 1 + random.Next(16), 1 + random.Next(16), SquaredDistance3);
            Assert.Equal(new AlphaBetaSwap().Minimize(energy), reused.Minimize(energy));
        }
    }

    [Fact]
    public void Labelling_64_grids_in_parallel_gives_what_labelling_them_in_turn_gives()
    {
        var random = new Random(90);
        var energies = Enumerable.Range(0, 64).Select(_ => RandomEnergy(random, 8, 8, SquaredDistance3, maxUnary: 1000, maxWeight: 200)).ToArray();
        var solver = new AlphaBetaSwap();
        var inTurn = energies.Select(solver.Minimize).ToArray();

        var inParallel = new int[energies.Length][];
        Parallel.For(0, energies.Length, () => new AlphaBetaSwap(), (index, _, own) =>
        {
            inParallel[index] = own.Minimize(energies[index]);
            return own;
        }, _ => { });

        Assert.Equal(inTurn, inParallel);
    }

    [Fact]
    public void A_single_pixel_takes_its_cheapest_label()
    {
        var energy = new GridEnergy(1, 1, new long[,] { { 7, -3, 5 } }, SquaredDistance3, new long[0, 1], new long[1, 0]);
        Assert.Equal([1], new AlphaBetaSwap().Minimize(energy));
    }

    [Fact]
    public void When_every_labelling_costs_the_same_the_start_is_kept()
    {
        var unary = new long[6, 3];
        var pairCosts = new long[3, 3]; // V = 0: no edge costs anything either
        var energy = new GridEnergy(2, 3, unary, pairCosts, new long[1, 3], new long[2, 2]);
        int[] labels = [2, 0, 1, 1, 2, 0];

        Assert.Equal(1, new AlphaBetaSwap().Minimize(energy, labels));
        Assert.Equal([2, 0, 1, 1, 2, 0], labels);
    }

    [Fact]
    public void With_one_label_every_pixel_takes_it()
    {
        var energy = new GridEnergy(2, 2, new long[,] { { 4 }, { -1 }, { 0 }, { 9 } }, new long[1, 1], new long[1, 2], new long[2, 1]);
        var labels = new AlphaBetaSwap().Minimize(energy);
        Assert.Equal([0, 0, 0, 0], labels);
        Assert.Equal(12, energy.Evaluate(labels));
    }

    [Fact]
    public void Bad_labellings_and_label_pairs_are_refused_with_the_value()
    {
        var energy = new GridEnergy(1, 2, new long[2, 3], SquaredDistance3, new long[0, 2], new long[1, 1]);
        var swap = new AlphaBetaSwap();
        Assert.Contains("one label per pixel: 2 (was 3)", Assert.Throws<ArgumentException>(() => swap.Minimize(energy, new int[3])).Message);
        Assert.Contains("[0, 3) (pixel 1 was 3)", Assert.Throws<ArgumentException>(() => swap.Minimize(energy, new[] { 0, 3 })).Message);
        Assert.Contains("(were 1 and 1)", Assert.Throws<ArgumentException>(() => swap.TrySwap(energy, new int[2], 1, 1)).Message);
        Assert.Contains("(were 0 and 3)", Assert.Throws<ArgumentException>(() => swap.TrySwap(energy, new int[2], 0, 3)).Message);
    }
}
