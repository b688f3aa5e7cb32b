using NfmGen.Network;
using static TorchSharp.torch;

namespace NfmGen.Robustness.AutoAttack;

/// <summary>
/// The Square Attack (Andriushchenko et al., ECCV 2020), statement by statement as fra31/auto-attack's
/// <c>SquareAttack</c> runs it in AutoAttack (untargeted, margin loss, one restart, p_init 0.8, the schedule not
/// rescaled): a black-box random search that uses only the model's outputs, so it is not fooled by masked gradients.
/// Each query changes one random square window of the current best point (L∞: to ±ε per channel; L2: moves mass
/// between two windows on the sphere of radius ε), kept when the margin between the true class and the best other
/// falls; the windows shrink on the reference's schedule. Pixels are in [0, 1]; <paramref name="logits"/> maps them to
/// the model's outputs.
/// </summary>
/// <param name="logits">Pixels to logits.</param>
/// <param name="norm">The budget's norm.</param>
/// <param name="epsilon">The budget, in pixel units.</param>
/// <param name="uniform">Uniform draws in [0, 1) of a shape (the reference's <c>torch.rand</c>), on the pixels' device.</param>
/// <param name="queries">Queries per point (5,000 in AutoAttack).</param>
/// <param name="cancellationToken">Checked before every query.</param>
internal sealed class SquareAttack(Func<Tensor, Tensor> logits, AttackNorm norm, double epsilon, Func<long[], Tensor> uniform, int queries = SquareAttack.Queries,
    CancellationToken cancellationToken = default)
{
    /// <summary>AutoAttack's settings: queries per point, and the starting fraction of the image a window covers.</summary>
    public const int Queries = 5000;

    private const double InitialFraction = 0.8;

    /// <summary>The adversarial pixels of the points it fools, the clean pixels of the others (<c>perturb</c>).</summary>
    public Tensor Attack(Tensor pixels, Tensor labels)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var adversarial = pixels.clone();
        var toFool = logits(pixels).argmax(1).eq(labels).nonzero().squeeze(1);
        if (toFool.numel() == 0)
            return adversarial.MoveToOuterDisposeScope();
        var (x, y) = (pixels.index_select(0, toFool), labels.index_select(0, toFool));
        var found = norm == AttackNorm.Linf ? LinfRun(x, y) : L2Run(x, y);
        Outcome.Record(null, adversarial, toFool, logits(found).argmax(1).ne(y), found);
        return adversarial.MoveToOuterDisposeScope();
    }

    private Tensor LinfRun(Tensor x, Tensor y)
    {
        using var scalars = new ScalarScope();
        var (c, h, w) = ((int)x.shape[1], (int)x.shape[2], (int)x.shape[3]);
        var xBest = x.add(RandomChoice([x.shape[0], c, 1, w]) * scalars.Of(epsilon), scalars.Of(1)).clamp(scalars.Of(0.0), scalars.Of(1.0));
        return Search(x, y, xBest, (i, xCurrent, xBestCurrent) =>
        {
            using var stepScalars = new ScalarScope();
            var side = Math.Min(Math.Max((int)Math.Round(Math.Sqrt(Fraction(i) * (c * h * w) / c)), 1), Math.Min(h, w));
            var top = RandomInt(h - side);
            var left = RandomInt(w - side);
            var change = zeros([c, h, w], x.dtype, x.device);
            change[.., top..(top + side), left..(left + side)] = RandomChoice([c, 1, 1]) * stepScalars.Of(2.0 * epsilon);
            return minimum(maximum(xBestCurrent.add(change, stepScalars.Of(1)), xCurrent - stepScalars.Of(epsilon)), xCurrent.add(stepScalars.Of(epsilon), stepScalars.Of(1))).clamp(stepScalars.Of(0.0), stepScalars.Of(1.0));
        });
    }

    private Tensor L2Run(Tensor x, Tensor y)
    {
        using var scalars = new ScalarScope();
        var (c, h, w) = ((int)x.shape[1], (int)x.shape[2], (int)x.shape[3]);
        var batch = x.shape[0];
        // The start: the image tiled with squares of a fifth of its side, each a ±eta pattern per channel. Where the
        // reference's tiling runs past the edge (sides such as 12 or 24, images not square) only the part inside is
        // added, and images under 5 pixels get tiles of 1: the same draws, and the reference's start wherever it runs.
        var start = zeros_like(x);
        var tile = Math.Max(h / 5, 1);
        var offset = (h - tile * 5) / 2;
        for (int row = 0, top = Math.Max(offset, 0); row < h / tile; row++, top += tile)
        {
            for (int column = 0, left = Math.Max(offset, 0); column < w / tile; column++, left += tile)
            {
                var pattern = Eta(tile, x.dtype, x.device).view(1, 1, tile, tile);
                var signs = RandomChoice([batch, c, 1, 1]);
                var (rows, columns) = (Math.Min(tile, h - top), Math.Min(tile, w - left));
                if (rows > 0 && columns > 0)
                    start[.., .., top..(top + rows), left..(left + columns)] = start[.., .., top..(top + rows), left..(left + columns)].add(pattern[.., .., ..rows, ..columns] * signs, scalars.Of(1));
            }
        }
        var xBest = x.add(Normalize(start) * scalars.Of(epsilon), scalars.Of(1)).clamp(scalars.Of(0.0), scalars.Of(1.0));
        return Search(x, y, xBest, (i, xCurrent, xBestCurrent) =>
        {
            using var stepScalars = new ScalarScope();
            var delta = xBestCurrent - xCurrent;
            var side = Math.Max((int)Math.Round(Math.Sqrt(Fraction(i) * (c * h * w) / c)), 3);
            side = Math.Min(side % 2 == 0 ? side + 1 : side, Math.Min(h, w));

            var (top, left) = (RandomInt(h - side), RandomInt(w - side));
            var window = delta[.., .., top..(top + side), left..(left + side)];
            var windowNorm = window.pow(stepScalars.Of(2)).sum([-2, -1], keepdim: true).sqrt();
            var (top2, left2) = (RandomInt(h - side), RandomInt(w - side));
            var masks = zeros_like(xCurrent);
            masks[.., .., top..(top + side), left..(left + side)] = 1.0;
            masks[.., .., top2..(top2 + side), left2..(left2 + side)] = 1.0;
            var imageNorm = L2Norm(xBestCurrent - xCurrent);
            var windowsNorm = (delta * masks).pow(stepScalars.Of(2)).sum([-2, -1], keepdim: true).sqrt();

            var pattern = Eta(side, x.dtype, x.device).view(1, 1, side, side);
            var change = ones([xCurrent.shape[0], c, side, side], x.dtype, x.device) * (pattern * RandomChoice([xCurrent.shape[0], c, 1, 1]));
            change = change.add(window / windowNorm.add(stepScalars.Of(1e-12), stepScalars.Of(1)), stepScalars.Of(1));
            var room = (maximum(full_like(change, stepScalars.Of(epsilon)).pow(stepScalars.Of(2)) - imageNorm.pow(stepScalars.Of(2)), zeros_like(change)) / stepScalars.Of(c))
                .add(windowsNorm.pow(stepScalars.Of(2)), stepScalars.Of(1));
            change = change / change.pow(stepScalars.Of(2)).sum([-2, -1], keepdim: true).sqrt().add(stepScalars.Of(1e-12), stepScalars.Of(1)) * room.sqrt();
            delta[.., .., top2..(top2 + side), left2..(left2 + side)] = 0.0;
            delta[.., .., top..(top + side), left..(left + side)] = change;
            return xCurrent.add(Normalize(delta) * stepScalars.Of(epsilon), stepScalars.Of(1)).clamp(stepScalars.Of(0.0), stepScalars.Of(1.0));
        });
    }

    // The random search from xBest: each query proposes a point for every point not yet fooled (propose: the query's
    // index, those points and their best points so far), kept where it lowers the margin or fools the model.
    private Tensor Search(Tensor x, Tensor y, Tensor xBest, Func<int, Tensor, Tensor, Tensor> propose)
    {
        using var scalars = new ScalarScope();
        var (marginMin, lossMin) = MarginAndLoss(xBest, y);
        if (marginMin.lt(scalars.Of(0)).all().item<bool>())
            return xBest;
        for (var i = 0; i < queries; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var step = NewDisposeScope();
            using var stepScalars = new ScalarScope();
            var toFool = marginMin.gt(stepScalars.Of(0)).nonzero().squeeze(1);
            var xBestCurrent = xBest.index_select(0, toFool);
            var xNew = propose(i, x.index_select(0, toFool), xBestCurrent);
            Update(y, toFool, xNew, xBestCurrent, xBest, marginMin, lossMin);
            if (marginMin.le(stepScalars.Of(0)).all().item<bool>())
                break;
        }
        return xBest;
    }

    // Keeps a query where the margin loss fell, or the point is misclassified: the reference's update, in place.
    private void Update(Tensor y, Tensor toFool, Tensor xNew, Tensor xBestCurrent, Tensor xBest, Tensor marginMin, Tensor lossMin)
    {
        using var scalars = new ScalarScope();
        var (margin, loss) = MarginAndLoss(xNew, y.index_select(0, toFool));
        var improved = loss.lt(lossMin.index_select(0, toFool));
        lossMin.index_copy_(0, toFool, where(improved, loss, lossMin.index_select(0, toFool)));
        improved = improved.logical_or(margin.le(scalars.Of(0)));
        marginMin.index_copy_(0, toFool, where(improved, margin, marginMin.index_select(0, toFool)));
        xBest.index_copy_(0, toFool, where(improved.view(-1, 1, 1, 1), xNew, xBestCurrent));
    }

    // The margin z_y − max_{i≠y} z_i, which is also the loss the attack lowers (the reference's 'margin' loss).
    private (Tensor Margin, Tensor Loss) MarginAndLoss(Tensor x, Tensor y)
    {
        using var scalars = new ScalarScope();
        var output = logits(x);
        var trueLogit = output.gather(1, y.unsqueeze(1)).squeeze(1);
        var others = output.scatter(1, y.unsqueeze(1), full([y.shape[0], 1], scalars.Of(double.NegativeInfinity), output.dtype, output.device)).max(1).values;
        var margin = trueLogit - others;
        return (margin, margin.clone());
    }

    // p_selection with the schedule not rescaled: the window's share of the image halves at 10, 50, 200, 500, ... queries.
    private static double Fraction(int query) => query switch
    {
        > 8000 => InitialFraction / 512,
        > 6000 => InitialFraction / 256,
        > 4000 => InitialFraction / 128,
        > 2000 => InitialFraction / 64,
        > 1000 => InitialFraction / 32,
        > 500 => InitialFraction / 16,
        > 200 => InitialFraction / 8,
        > 50 => InitialFraction / 4,
        > 10 => InitialFraction / 2,
        _ => InitialFraction,
    };

    private Tensor RandomChoice(long[] shape)
    {
        using var scalars = new ScalarScope();
        return (uniform(shape) * scalars.Of(2) - scalars.Of(1)).sign();
    }

    // low + (high − low)·u, truncated, with low 0: computed on the draw's dtype as the reference does.
    private int RandomInt(int high)
    {
        using var scalars = new ScalarScope();
        return (int)(uniform([1]) * scalars.Of(high)).to_type(ScalarType.Int64).item<long>();
    }

    // eta: a window's L2 pattern, +rectangles over its top half, −over its bottom half, unit norm, transposed half the time.
    private Tensor Eta(int side, ScalarType dtype, Device device)
    {
        using var scalars = new ScalarScope();
        var pattern = zeros([side, side], dtype, device);
        pattern[..(side / 2)] = Rectangles(side / 2, side, dtype, device);
        pattern[(side / 2)..] = -Rectangles(side - side / 2, side, dtype, device);
        pattern /= pattern.pow(scalars.Of(2)).sum([0, 1], keepdim: true).sqrt();
        return uniform([1]).gt(scalars.Of(0.5)).item<bool>() ? pattern.permute(1, 0) : pattern;
    }

    // eta_rectangles: nested rectangles around the centre, the k-th adding 1/(k+1)², then unit norm.
    private static Tensor Rectangles(int rows, int columns, ScalarType dtype, Device device)
    {
        using var scalars = new ScalarScope();
        var pattern = zeros([rows, columns], dtype, device);
        var (centreRow, centreColumn) = (rows / 2, columns / 2);
        for (var k = 0; k < Math.Max(rows / 2 + 1, columns / 2 + 1); k++)
        {
            var (top, left) = (centreRow - k, centreColumn - k);
            var weight = tensor(1.0, dtype, device) / tensor((double)(k + 1), dtype, device).pow(scalars.Of(2));
            pattern[Math.Max(top, 0)..Math.Min(top + 2 * k + 1, rows), Math.Max(left, 0)..Math.Min(left + 2 * k + 1, columns)] =
                pattern[Math.Max(top, 0)..Math.Min(top + 2 * k + 1, rows), Math.Max(left, 0)..Math.Min(left + 2 * k + 1, columns)].add(weight, scalars.Of(1));
        }
        return pattern / pattern.pow(scalars.Of(2)).sum([0, 1], keepdim: true).sqrt();
    }

    private Tensor Normalize(Tensor values)
    {
        using var scalars = new ScalarScope();
        var flat = values.flatten(1);
        var length = norm == AttackNorm.Linf ? flat.abs().max(1).values : flat.pow(scalars.Of(2)).sum(-1).sqrt();
        return values / length.view(-1, 1, 1, 1).add(scalars.Of(1e-12), scalars.Of(1));
    }

    private static Tensor L2Norm(Tensor values)
    {
        using var scalars = new ScalarScope();
        return values.flatten(1).pow(scalars.Of(2)).sum(-1).sqrt().view(-1, 1, 1, 1);
    }
}
