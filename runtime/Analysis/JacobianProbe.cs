using NfmGen.Network;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace NfmGen.Analysis;

/// <summary>
/// The per-point measures of one batch at one mix point (<see cref="SmoothnessMeasure"/>), from the features h there
/// and the rest of the network: every point's values in one set of backward passes. The network must be in eval mode
/// with its parameters frozen, so that each point's outputs depend on its own features only.
/// </summary>
internal sealed class JacobianProbe(Func<Tensor, Tensor> head, int classes, bool exact, int probes, double step, Generator generator)
{
    /// <summary>The measures of the batch whose features are <paramref name="features"/>, logits scaled by <paramref name="scale"/> (1/T), labels <paramref name="labels"/>: one double per point and measure.</summary>
    public Dictionary<SmoothnessMeasure, double[]> Measure(Tensor features, Tensor labels, double scale)
    {
        using var scope = NewDisposeScope();
        using var gradients = enable_grad();
        using var scalars = new ScalarScope();
        var h = features.detach().requires_grad_(true);
        var logits = head(h).mul(scalars.Of(scale));
        var p = softmax(logits, 1).detach();
        var (norm, softmaxJacobian, multiplicative) = exact ? Exact(h, logits, p) : Projected(h, logits, p);
        var hessian = HessianTrace(h, logits, labels);
        var change = JacobianChange(h, logits, scale);
        return new Dictionary<SmoothnessMeasure, double[]>
        {
            [SmoothnessMeasure.JacobianNorm] = Values(norm),
            [SmoothnessMeasure.SoftmaxJacobian] = Values(softmaxJacobian),
            [SmoothnessMeasure.MultiplicativeJacobian] = Values(multiplicative),
            [SmoothnessMeasure.LossHessianTrace] = Values(hessian),
            [SmoothnessMeasure.JacobianChange] = Values(change),
        };
    }

    // One backward per class c gives row c of every point's J: Σ_c ‖J_c‖², Σ_c p_c‖J_c‖² − ‖Σ_c p_c J_c‖², and the same with J_c∘h.
    private (Tensor Norm, Tensor Softmax, Tensor Multiplicative) Exact(Tensor h, Tensor logits, Tensor p)
    {
        var norm = zeros(h.shape[0], dtype: ScalarType.Float64, device: h.device);
        var weighted = zeros_like(norm);
        var weightedByH = zeros_like(norm);
        var mean = zeros_like(h);
        using var scalars = new ScalarScope();
        for (var c = 0; c < classes; c++)
        {
            using var iteration = NewDisposeScope(); // each class's row freed before the next: memory stays one row deep
            var row = Row(h, logits.select(1, c).sum());
            var share = Broadcast(p.select(1, c), h);
            norm.add_(SumPerPoint(row.pow(scalars.Of(2))), scalars.Of(1));
            weighted.add_(SumPerPoint(row.pow(scalars.Of(2))).mul(p.select(1, c)), scalars.Of(1));
            weightedByH.add_(SumPerPoint(row.mul(h).pow(scalars.Of(2))).mul(p.select(1, c)), scalars.Of(1));
            mean.add_(row.mul(share), scalars.Of(1));
        }
        return (norm, weighted.sub(SumPerPoint(mean.pow(scalars.Of(2)))), weightedByH.sub(SumPerPoint(mean.mul(h).pow(scalars.Of(2)))));
    }

    // Unbiased estimates with Gaussian probes v: ‖vᵀJ‖² for ‖J‖_F², and ‖uᵀJ‖² with u = Aᵀv, AᵀA = diag(p) − ppᵀ.
    private (Tensor Norm, Tensor Softmax, Tensor Multiplicative) Projected(Tensor h, Tensor logits, Tensor p)
    {
        var norm = zeros(h.shape[0], dtype: ScalarType.Float64, device: h.device);
        var softmaxJacobian = zeros_like(norm);
        var multiplicative = zeros_like(norm);
        var root = p.sqrt();
        using var scalars = new ScalarScope();
        for (var r = 0; r < probes; r++)
        {
            using var iteration = NewDisposeScope();
            var v = Gaussian(logits);
            norm.add_(SumPerPoint(Row(h, logits.mul(v).sum()).pow(scalars.Of(2))), scalars.Of(1));
            var rootV = root.mul(v);
            var u = rootV.sub(p.mul(rootV.sum(1, keepdim: true)));
            var projected = Row(h, logits.mul(u).sum());
            softmaxJacobian.add_(SumPerPoint(projected.pow(scalars.Of(2))), scalars.Of(1));
            multiplicative.add_(SumPerPoint(projected.mul(h).pow(scalars.Of(2))), scalars.Of(1));
        }
        return (norm.div_(scalars.Of(probes)), softmaxJacobian.div_(scalars.Of(probes)), multiplicative.div_(scalars.Of(probes)));
    }

    // Hutchinson: E[zᵀ ∇²L z] = tr ∇²L for Rademacher z, the Hessian-vector product by a second backward.
    private Tensor HessianTrace(Tensor h, Tensor logits, Tensor labels)
    {
        var loss = cross_entropy(logits, labels, reduction: nn.Reduction.Sum);
        var gradient = torch.autograd.grad([loss], [h], retain_graph: true, create_graph: true)[0];
        var trace = zeros(h.shape[0], dtype: ScalarType.Float64, device: h.device);
        using var scalars = new ScalarScope();
        for (var r = 0; r < probes; r++)
        {
            using var iteration = NewDisposeScope();
            var z = Rademacher(h);
            var product = torch.autograd.grad([gradient.mul(z).sum()], [h], retain_graph: true)[0];
            trace.add_(SumPerPoint(product.mul(z)), scalars.Of(1));
        }
        return trace.div_(scalars.Of(probes));
    }

    // ‖J(h + δ) − J(h)‖_F² / ‖δ‖², δ a random direction of length step·‖h‖ per point: exact by class, or by the same
    // projections at both points (the mean of squares is unbiased; a square root per point would not be).
    private Tensor JacobianChange(Tensor h, Tensor logits, double scale)
    {
        using var scalars = new ScalarScope();
        var direction = Gaussian(h);
        var lengths = SumPerPoint(h.pow(scalars.Of(2))).sqrt().clamp_min(scalars.Of(1e-12)).mul(scalars.Of(step));
        var delta = direction.div(Broadcast(SumPerPoint(direction.pow(scalars.Of(2))).sqrt().to(h.dtype), h)).mul(Broadcast(lengths.to(h.dtype), h));
        var moved = h.detach().add(delta, scalars.Of(1)).requires_grad_(true);
        var movedLogits = head(moved).mul(scalars.Of(scale));
        var squared = zeros(h.shape[0], dtype: ScalarType.Float64, device: h.device);
        var rows = exact ? classes : probes;
        for (var r = 0; r < rows; r++)
        {
            using var iteration = NewDisposeScope();
            var weights = exact ? OneHot(logits, r) : Gaussian(logits);
            var difference = Row(moved, movedLogits.mul(weights).sum()).sub(Row(h, logits.mul(weights).sum()));
            squared.add_(SumPerPoint(difference.pow(scalars.Of(2))), scalars.Of(1));
        }
        if (!exact)
            squared.div_(scalars.Of(probes));
        return squared.div_(lengths.pow(scalars.Of(2)));
    }

    private static Tensor Row(Tensor h, Tensor output) => torch.autograd.grad([output], [h], retain_graph: true)[0];

    private static Tensor SumPerPoint(Tensor values) => values.flatten(1).sum(1).to(ScalarType.Float64);

    private static Tensor Broadcast(Tensor perPoint, Tensor like) => perPoint.view([perPoint.shape[0], .. Enumerable.Repeat(1L, (int)like.dim() - 1)]);

    private static Tensor OneHot(Tensor logits, int c)
    {
        using var scalars = new ScalarScope();
        return zeros_like(logits).index_fill_(1, tensor(new long[] { c }, device: logits.device), scalars.Of(1.0));
    }

    private Tensor Gaussian(Tensor like) => randn(like.shape, dtype: like.dtype, generator: generator).to(like.device);

    private Tensor Rademacher(Tensor like)
    {
        using var scalars = new ScalarScope();
        return randint(0, 2, like.shape, dtype: like.dtype, generator: generator).mul_(scalars.Of(2)).sub_(scalars.Of(1)).to(like.device);
    }

    private static double[] Values(Tensor perPoint) => perPoint.cpu().data<double>().ToArray();
}
