using static TorchSharp.torch;

namespace NfmGen.Network;

/// <summary><c>nn.BatchNorm2d</c>, counting its batches with held scalars (<see cref="HeldBatchNorm"/>).</summary>
public sealed class HeldBatchNorm2d(long features, double eps = 1e-05, double momentum = 0.1, bool affine = true, bool trackRunningStats = true,
    Device? device = null, ScalarType? dtype = null)
    : HeldBatchNorm(features, eps, momentum, affine, trackRunningStats, device, dtype, "BatchNorm2d")
{
    /// <inheritdoc/>
    protected override void ValidateInputDimensions(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.ndim != 4)
            throw new ArgumentException($"expected 4D input, but got {input.ndim}D input.", nameof(input));
    }
}
