using static TorchSharp.torch;

namespace NfmGen.Tests.Data;

/// <summary>Exact tensor comparison as a bool (TorchSharp's <c>equal</c> is element-wise).</summary>
internal static class TensorComparison
{
    /// <summary>Same shape, same dtype, same values.</summary>
    public static bool Identical(this Tensor actual, Tensor expected)
    {
        if (actual.dtype != expected.dtype || !actual.shape.SequenceEqual(expected.shape))
            return false;
        using var same = actual.eq(expected.to(actual.device));
        using var all = same.all();
        return all.item<bool>();
    }
}
