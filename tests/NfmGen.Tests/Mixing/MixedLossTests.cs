using NfmGen.Mixing;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace NfmGen.Tests.Mixing;

public class MixedLossTests
{
    private static readonly double[,] Logits =
    {
        { 1.0, -0.5, 2.0, 0.1 },
        { 0.3, 0.3, -1.2, 0.8 },
        { -2.0, 1.5, 0.0, 0.4 },
        { 0.9, 0.2, 0.2, -0.7 },
        { 0.0, 0.0, 3.0, 1.0 },
    };

    private static readonly long[] Targets = { 0, 3, 1, 1, 2 };
    private static readonly long[] Permutation = { 2, 0, 4, 1, 3 };

    /// <summary>Mean cross-entropy, by hand: log Σ exp(z) − z_y per row.</summary>
    private static double HandCrossEntropy(Func<int, long> target)
    {
        var rows = Logits.GetLength(0);
        var total = 0.0;
        for (var i = 0; i < rows; i++)
        {
            var logSumExp = Math.Log(Enumerable.Range(0, Logits.GetLength(1)).Sum(j => Math.Exp(Logits[i, j])));
            total += logSumExp - Logits[i, target(i)];
        }
        return total / rows;
    }

    [Fact]
    public void The_loss_weights_each_target_by_its_share_in_the_mix()
    {
        using var scope = NewDisposeScope();
        var step = new NfmStep(0, 0.3, tensor(Permutation), 0, 0);
        var loss = MixedLoss.CrossEntropy(tensor(Logits), tensor(Targets), step);

        var expected = 0.3 * HandCrossEntropy(i => Targets[i]) + 0.7 * HandCrossEntropy(i => Targets[Permutation[i]]);
        Assert.Equal(expected, loss.item<double>(), 12);
    }

    [Fact]
    public void With_lambda_one_the_loss_is_plain_cross_entropy()
    {
        using var scope = NewDisposeScope();
        var (logits, targets) = (tensor(Logits), tensor(Targets));
        var step = new NfmStep(0, 1.0, tensor(Permutation), 0, 0);

        TensorAssert.Identical(cross_entropy(logits, targets), MixedLoss.CrossEntropy(logits, targets, step));
        Assert.Equal(HandCrossEntropy(i => Targets[i]), MixedLoss.CrossEntropy(logits, targets, step).item<double>(), 12);
    }

    [Fact]
    public void The_gradient_is_softmax_minus_the_mixed_one_hot_targets()
    {
        using var scope = NewDisposeScope();
        var logits = tensor(Logits).requires_grad_(true);
        var (targets, permutation) = (tensor(Targets), tensor(Permutation));
        MixedLoss.CrossEntropy(logits, targets, new NfmStep(0, 0.3, permutation, 0, 0)).backward();

        var mixedTargets = 0.3 * one_hot(targets, 4).to_type(ScalarType.Float64) + 0.7 * one_hot(targets.index_select(0, permutation), 4).to_type(ScalarType.Float64);
        var expected = (softmax(logits.detach(), 1) - mixedTargets) / 5;
        TensorAssert.Close(expected, logits.grad!, 1e-12);
    }

    private static readonly float[] Shares = { 0.25f, 1.0f, 0.0f, 0.5f, 0.75f };

    /// <summary>Per-row cross-entropy with label smoothing ε, by hand: −Σ_j q_j log p_j with q = (1 − ε)·onehot + ε/classes.</summary>
    private static double HandCrossEntropy(int row, long target, double smoothing)
    {
        var classes = Logits.GetLength(1);
        var logSumExp = Math.Log(Enumerable.Range(0, classes).Sum(j => Math.Exp(Logits[row, j])));
        return Enumerable.Range(0, classes).Sum(j => -((j == target ? 1 - smoothing : 0) + smoothing / classes) * (Logits[row, j] - logSumExp));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    public void With_per_sample_shares_each_row_weights_its_own_and_its_partners_label_by_its_share(double smoothing)
    {
        using var scope = NewDisposeScope();
        var (logits, targets, permutation) = (tensor(Logits), tensor(Targets), tensor(Permutation));
        // λ is deliberately far from every share: the shares, not λ, weight the labels.
        var step = new PuzzleMixStep(0.9, permutation, BlockCount: 2, Shares: tensor(Shares), Mixed: zeros(5, 1, 2, 2));

        var loss = MixedLoss.CrossEntropy(logits, targets, step, smoothing).item<double>();

        var expected = Enumerable.Range(0, 5).Average(i =>
            Shares[i] * HandCrossEntropy(i, Targets[i], smoothing) + (1 - Shares[i]) * HandCrossEntropy(i, Targets[Permutation[i]], smoothing));
        Assert.Equal(expected, loss, 12);
    }
}
