using TorchSharp;
using static TorchSharp.torch;

namespace NfmGen.Prediction;

/// <summary>The k most probable classes of each row of a batch of logits, by softmax probability.</summary>
internal static class TopClasses
{
    /// <summary>
    /// For each row of <paramref name="logits"/> (<c>[N, classes]</c>), its <paramref name="k"/> most probable classes
    /// (all of them when there are fewer), most probable first, named by <paramref name="classNames"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The logits are not 2-D, k is &lt; 1, or the names are not one per class.</exception>
    public static IReadOnlyList<IReadOnlyList<ClassProbability>> Of(Tensor logits, int k, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(classNames);
        if (logits.dim() != 2)
            throw new ArgumentException($"logits must be [N, classes] (were [{string.Join(", ", logits.shape)}])", nameof(logits));
        if (k < 1)
            throw new ArgumentOutOfRangeException(nameof(k), k, "k must be >= 1");
        if (logits.shape[1] != classNames.Count)
            throw new ArgumentException($"the network has {logits.shape[1]} classes but {classNames.Count} class names were given", nameof(classNames));

        using var scope = NewDisposeScope();
        int count = (int)Math.Min(k, logits.shape[1]);
        // Softmax in double so that the probabilities of a row sum to 1 as closely as the logits allow.
        var (probabilities, indices) = softmax(logits.detach().to(CPU).to_type(ScalarType.Float64), 1).topk(count, dim: 1, largest: true, sorted: true);
        double[] p = probabilities.data<double>().ToArray();
        long[] index = indices.data<long>().ToArray();
        var rows = new List<IReadOnlyList<ClassProbability>>();
        for (int row = 0; row < logits.shape[0]; row++)
        {
            rows.Add(Enumerable.Range(row * count, count)
                .Select(i => new ClassProbability((int)index[i], classNames[(int)index[i]], p[i]))
                .ToArray());
        }
        return rows;
    }
}
