using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace NfmGen.Tests.Analysis;

/// <summary>
/// The measures of one point computed the slow, obvious way on a float64 copy of the network: the Jacobian by central
/// differences in every feature, the loss's Hessian trace by second differences, then the formulas as written.
/// </summary>
internal static class BruteForce
{
    public sealed record Values(double Norm, double Softmax, double Multiplicative, double HessianTrace);

    public static Values At(Func<Tensor, Tensor> head, double[] h, long label, double scale = 1.0)
    {
        double[] Logits(double[] at)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            return head(tensor(at, [1, at.Length], ScalarType.Float64)).mul(scale).data<double>().ToArray();
        }
        double Loss(double[] at)
        {
            var z = Logits(at);
            var max = z.Max();
            return max + Math.Log(z.Sum(v => Math.Exp(v - max))) - z[label];
        }
        double[] Shifted(int j, double by) => [.. h.Select((v, i) => i == j ? v + by : v)];

        const double Epsilon = 1e-5;
        var classes = Logits(h).Length;
        var jacobian = new double[classes, h.Length];
        for (var j = 0; j < h.Length; j++)
        {
            var (up, down) = (Logits(Shifted(j, Epsilon)), Logits(Shifted(j, -Epsilon)));
            for (var c = 0; c < classes; c++)
                jacobian[c, j] = (up[c] - down[c]) / (2 * Epsilon);
        }
        var z0 = Logits(h);
        var p = z0.Select(v => Math.Exp(v - z0.Max())).ToArray();
        var total = p.Sum();
        p = [.. p.Select(v => v / total)];

        double Weighted(Func<int, double> column)
        {
            // tr(Mᵀ(diag p − ppᵀ)M) = Σ_j [Σ_c p_c M_cj² − (Σ_c p_c M_cj)²], M = J diag(column)
            var sum = 0.0;
            for (var j = 0; j < h.Length; j++)
            {
                double square = 0, mean = 0;
                for (var c = 0; c < classes; c++)
                {
                    var m = jacobian[c, j] * column(j);
                    square += p[c] * m * m;
                    mean += p[c] * m;
                }
                sum += square - mean * mean;
            }
            return sum;
        }

        var norm = 0.0;
        foreach (var value in jacobian)
            norm += value * value;
        const double Step = 1e-4;
        var trace = Enumerable.Range(0, h.Length).Sum(j => (Loss(Shifted(j, Step)) - 2 * Loss(h) + Loss(Shifted(j, -Step))) / (Step * Step));
        return new Values(norm, Weighted(_ => 1), Weighted(j => h[j]), trace);
    }
}
