using System.Text;
using static TorchSharp.torch;

namespace NfmGen.Tests.Zoo;

/// <summary>
/// Weights and inputs from a formula, the one <c>tools/reference_models.py</c> uses (its docstring spells it out), so
/// that a zoo model and the definition transcribed from erichson/NFM get the same state dict without a weights file.
/// Each entry's values follow from its name and each element's flat index in integer arithmetic, then a few correctly
/// rounded float64 operations, so both sides get the same bits; the scales keep the logits of the paper's networks
/// near 1, and the two PreActResNet-18 identities apart by about 1.
/// </summary>
internal static class DeterministicWeights
{
    private const long Prime = 2147483647;

    /// <summary>Overwrites every entry of <paramref name="module"/>'s state dict, parameters and batch-norm buffers.</summary>
    public static void Fill(nn.Module module)
    {
        var state = module.state_dict();
        using var noGrad = no_grad();
        foreach (var (name, entry) in state)
        {
            if (name.EndsWith(".num_batches_tracked", StringComparison.Ordinal))
            {
                entry.fill_(NameSeed(name) % 1000);
                continue;
            }
            var dot = name.LastIndexOf('.');
            var isBatchNorm = state.ContainsKey((dot < 0 ? name : name[..dot]) + ".running_mean");
            using var value = tensor(Values(name, entry.shape, isBatchNorm), entry.shape);
            entry.copy_(value);
        }
    }

    /// <summary>The input of the golden logits: 2u - 1 for the name "input", in [-1, 1).</summary>
    public static Tensor Input(long[] shape)
    {
        var u = Uniform("input", shape.Aggregate(1L, (product, size) => product * size));
        return tensor(u.Select(value => (float)(2 * value - 1)).ToArray(), shape);
    }

    private static float[] Values(string name, long[] shape, bool isBatchNorm)
    {
        var u = Uniform(name, shape.Aggregate(1L, (product, size) => product * size));
        Func<double, double> scale =
            name.EndsWith(".running_var", StringComparison.Ordinal) || (isBatchNorm && name.EndsWith(".weight", StringComparison.Ordinal))
                ? value => 0.75 + 0.5 * value
            : name.EndsWith(".running_mean", StringComparison.Ordinal) || (isBatchNorm && name.EndsWith(".bias", StringComparison.Ordinal))
                ? value => 0.2 * (2 * value - 1)
            : shape.Length >= 2
                ? FanInUniform(3.0 / (u.Length / shape[0]))
            : value => 0.1 * (2 * value - 1);
        var values = new float[u.Length];
        for (var i = 0; i < u.Length; i++)
            values[i] = (float)scale(u[i]);
        return values;
    }

    private static Func<double, double> FanInUniform(double threeOverFanIn)
    {
        var bound = Math.Sqrt(threeOverFanIn);
        return value => (2 * value - 1) * bound;
    }

    /// <summary><paramref name="count"/> values in [0, 1): a = (i 48271 + s) mod P, b = a² mod P, c = (b 16807 + i) mod P, u = c / P.</summary>
    private static double[] Uniform(string name, long count)
    {
        var seed = NameSeed(name);
        var values = new double[count];
        for (long i = 0; i < count; i++)
        {
            var a = (i * 48271 + seed) % Prime;
            var b = a * a % Prime;
            var c = (b * 16807 + i) % Prime;
            values[i] = (double)c / Prime;
        }
        return values;
    }

    /// <summary>FNV-1a (32 bits) of the name's UTF-8 bytes, modulo P.</summary>
    private static long NameSeed(string name)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(name))
            hash = unchecked((hash ^ b) * 16777619u);
        return hash % Prime;
    }
}
