using static TorchSharp.torch;

namespace NfmGen.Tests.Mixing;

/// <summary>Assertions on whole tensors.</summary>
internal static class TensorAssert
{
    /// <summary>Whether both have the same shape, dtype and values, bit for bit.</summary>
    public static bool AreIdentical(Tensor expected, Tensor actual) =>
        expected.dtype == actual.dtype && expected.shape.SequenceEqual(actual.shape) && expected.eq(actual).all().item<bool>();

    public static void Identical(Tensor expected, Tensor actual) =>
        Assert.True(AreIdentical(expected, actual), $"expected {expected.ToString(TorchSharp.TensorStringStyle.Numpy)}, was {actual.ToString(TorchSharp.TensorStringStyle.Numpy)}");

    /// <summary>Same shape and dtype, values equal within <paramref name="tolerance"/> (absolute and relative).</summary>
    public static void Close(Tensor expected, Tensor actual, double tolerance)
    {
        Assert.Equal(expected.dtype, actual.dtype);
        Assert.Equal(expected.shape, actual.shape);
        Assert.True(expected.allclose(actual, rtol: tolerance, atol: tolerance),
            $"expected {expected.ToString(TorchSharp.TensorStringStyle.Numpy)}, was {actual.ToString(TorchSharp.TensorStringStyle.Numpy)}");
    }
}
