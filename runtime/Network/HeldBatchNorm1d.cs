using static TorchSharp.torch;

namespace NfmGen.Network;

/// <summary><c>nn.BatchNorm1d</c>, counting its batches with held scalars (<see cref="HeldBatchNorm"/>).</summary>
public sealed class HeldBatchNorm1d(long features, double eps = 1e-05, double momentum = 0.1, bool affine = true, bool trackRunningStats = true,
    Device? device = null, ScalarType? dtype = null)
    : HeldBatchNorm(features, eps, momentum, affine, trackRunningStats, device, dtype, "BatchNorm1d")
{
    /// <inheritdoc/>
    protected override void ValidateInputDimensions(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.ndim is not (2 or 3))
            throw new ArgumentException($"expected 2D or 3D input, but got {input.ndim}D input.", nameof(input));
    }
}
