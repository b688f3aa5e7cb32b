using NfmGen.Network;
using static TorchSharp.torch;

namespace NfmGen.Robustness.AutoAttack;

/// <summary>
/// FAB's projections (fra31/auto-attack, <c>fab_projections.py</c>), statement by statement: for each row, the
/// smallest step d (in the L∞ or L2 norm) that takes the point t onto the hyperplane w·x = b while t + d stays in the
/// box [0, 1]. Rows are points; every tensor is <c>[rows, features]</c> (b: <c>[rows]</c>).
/// </summary>
internal static class FabProjections
{
    /// <summary>The reference's <c>projection_linf</c>.</summary>
    public static Tensor Linf(Tensor points, Tensor hyperplane, Tensor offset)
    {
        using var scope = NewDisposeScope();
        using var scalars = new ScalarScope();
        var (t, w, b) = (points, hyperplane.clone(), offset.clone());
        var dtype = t.dtype;
        var sign = (w * t).sum(1).sub(b).ge(scalars.Of(0)).to_type(dtype) * scalars.Of(2) - scalars.Of(1);
        w.mul_(sign.unsqueeze(1));
        b.mul_(sign);

        var a = w.lt(scalars.Of(0)).to_type(dtype);
        var d = (a - t) * w.ne(scalars.Of(0)).to_type(dtype);
        var p = a - t * (a * scalars.Of(2) - scalars.Of(1));
        var order = p.argsort(dim: 1);

        b = b - (w * t).sum(1);
        var b0 = (w * d).sum(1);

        var reversed = order.flip(1);
        var ws = w.gather(1, reversed);
        var bs2 = -ws * d.gather(1, reversed);
        var s = ws.abs().cumsum(1);
        var sb = bs2.cumsum(1).add(b0.unsqueeze(1), scalars.Of(1));

        var b2 = sb[.., -1] - s[.., -1] * p.gather(1, order[.., 0..1]).squeeze(1);
        var beyond = (b - b2).gt(scalars.Of(0));
        var between = (b - b0).gt(scalars.Of(0)).logical_and(beyond.logical_not());
        var features = w.shape[1];

        // Bisection over the sorted breakpoints, for the rows whose solution lies between them.
        var rows = between.nonzero().squeeze(1);
        var lower = zeros(rows.shape[0], dtype, t.device);
        var upper = full_like(lower, scalars.Of(features - 1));
        var (orderRows, sbRows, sRows, pRows, bRows) = (order.index_select(0, rows), sb.index_select(0, rows), s.index_select(0, rows), p.index_select(0, rows), b.index_select(0, rows));
        for (var step = 0; step < Math.Ceiling(Math.Log2(features)); step++)
        {
            var middle = (lower.add(upper, scalars.Of(1)) / scalars.Of(2)).floor();
            var at = middle.to_type(ScalarType.Int64).unsqueeze(1);
            var current = orderRows.gather(1, (-at).add(scalars.Of(features - 1), scalars.Of(1)));
            var value = (sbRows.gather(1, at) - sRows.gather(1, at) * pRows.gather(1, current)).squeeze(1);
            var rises = (bRows - value).gt(scalars.Of(0));
            lower = where(rises, middle, lower);
            upper = where(rises, upper, middle);
        }
        var found = lower.to_type(ScalarType.Int64).unsqueeze(1);

        if (beyond.any().item<bool>())
        {
            var last = beyond.nonzero().squeeze(1);
            var lambda = ((b.index_select(0, last) - sb.index_select(0, last)[.., -1]) / -s.index_select(0, last)[.., -1]).clamp_min(scalars.Of(0)).unsqueeze(-1);
            d.index_copy_(0, last, (a.index_select(0, last) * scalars.Of(2) - scalars.Of(1)) * lambda);
        }

        var optimum = ((bRows - sbRows.gather(1, found).squeeze(1)) / -sRows.gather(1, found).squeeze(1)).clamp_min(scalars.Of(0)).unsqueeze(-1);
        var (aRows, dRows) = (a.index_select(0, rows), d.index_select(0, rows));
        d.index_copy_(0, rows, (minimum(optimum, dRows) * aRows).add(maximum(-optimum, dRows) * aRows.negative().add(scalars.Of(1), scalars.Of(1)), scalars.Of(1)));

        return (d * w.ne(scalars.Of(0)).to_type(dtype)).MoveToOuterDisposeScope();
    }

    /// <summary>The reference's <c>projection_l2</c>.</summary>
    public static Tensor L2(Tensor points, Tensor hyperplane, Tensor offset)
    {
        using var scope = NewDisposeScope();
        using var scalars = new ScalarScope();
        var (t, w) = (points, hyperplane.clone());
        var dtype = t.dtype;
        var c = (w * t).sum(1) - offset;
        var sign = c.ge(scalars.Of(0)).to_type(dtype) * scalars.Of(2) - scalars.Of(1);
        w.mul_(sign.unsqueeze(1));
        c.mul_(sign);

        var r = maximum(t / w, (t - scalars.Of(1)) / w).clamp(scalars.Of(-1e12), scalars.Of(1e12));
        r.masked_fill_(w.abs().lt(scalars.Of(1e-8)), scalars.Of(1e12));
        r = where(r.eq(scalars.Of(-1e12)), r * scalars.Of(-1), r);
        var (rs, order) = r.sort(dim: 1);
        var rs2 = nn.functional.pad(rs[.., 1..], [0, 1]);
        rs.masked_fill_(rs.eq(scalars.Of(1e12)), scalars.Of(0));
        rs2.masked_fill_(rs2.eq(scalars.Of(1e12)), scalars.Of(0));

        var w3s = w.pow(scalars.Of(2)).gather(1, order);
        var w5 = w3s.sum(1, keepdim: true);
        var ws = w5 - w3s.cumsum(1);
        var d = -(r * w);
        d.mul_(w.abs().gt(scalars.Of(1e-8)).to_type(dtype));
        var s = cat([-w5 * rs[.., 0..1], ((-rs2).add(rs, scalars.Of(1)) * ws).cumsum(1) - w5 * rs[.., 0..1]], 1);

        var below = s[.., 0].add(c, scalars.Of(1)).lt(scalars.Of(0));
        var above = (d * w).sum(1).add(c, scalars.Of(1)).gt(scalars.Of(0));
        var between = below.logical_or(above).logical_not();

        var rows = between.nonzero().squeeze(1);
        var features = w.shape[1];
        var lower = zeros(rows.shape[0], dtype, t.device);
        var upper = full_like(lower, scalars.Of(features - 1));
        var (sRows, cRows) = (s.index_select(0, rows), c.index_select(0, rows));
        for (var step = 0; step < Math.Ceiling(Math.Log2(features)); step++)
        {
            var middle = (lower.add(upper, scalars.Of(1)) / scalars.Of(2)).floor();
            var at = middle.to_type(ScalarType.Int64).unsqueeze(1);
            var rises = sRows.gather(1, at).squeeze(1).add(cRows, scalars.Of(1)).gt(scalars.Of(0));
            lower = where(rises, middle, lower);
            upper = where(rises, upper, middle);
        }
        var found = lower.to_type(ScalarType.Int64).unsqueeze(1);

        if (below.any().item<bool>())
        {
            var rowsBelow = below.nonzero().squeeze(1);
            var alpha = c.index_select(0, rowsBelow) / w5.index_select(0, rowsBelow).squeeze(-1);
            d.index_copy_(0, rowsBelow, -alpha.unsqueeze(-1) * w.index_select(0, rowsBelow));
        }
        if (rows.numel() > 0)
        {
            var wsAt = ws.index_select(0, rows).gather(1, found).squeeze(1);
            var alpha = (sRows.gather(1, found).squeeze(1).add(cRows, scalars.Of(1)) / wsAt).add(rs.index_select(0, rows).gather(1, found).squeeze(1), scalars.Of(1));
            alpha = where(wsAt.eq(scalars.Of(0)), zeros_like(alpha), alpha);
            var beyond = alpha.unsqueeze(-1).gt(r.index_select(0, rows)).to_type(dtype);
            d.index_copy_(0, rows, d.index_select(0, rows) * beyond - alpha.unsqueeze(-1) * w.index_select(0, rows) * beyond.negative().add(scalars.Of(1), scalars.Of(1)));
        }

        return (d * w.abs().gt(scalars.Of(1e-8)).to_type(dtype)).MoveToOuterDisposeScope();
    }
}
