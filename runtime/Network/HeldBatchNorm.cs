using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NfmGen.Network;

/// <summary>
/// The forward pass of TorchSharp's <see cref="BatchNorm"/>, line for line, except that the batch count
/// (<c>num_batches_tracked += 1</c>, in training mode) holds its scalars in a <see cref="ScalarScope"/>: TorchSharp's
/// own <c>num_batches_tracked.add_(1)</c> makes two on the fly, per batch-norm layer per training step.
/// </summary>
internal static class HeldBatchNorm
{
    /// <summary>Normalises <paramref name="input"/> (its dimensions checked) with <paramref name="norm"/>'s statistics and affine map.</summary>
    public static Tensor Forward(BatchNorm norm, Tensor input)
    {
        var averagingFactor = norm.momentum ?? 0.0;
        if (norm.training && norm.track_running_stats && norm.num_batches_tracked is { } batches)
        {
            using var scalars = new ScalarScope();
            batches.add_(scalars.Of(1), scalars.Of(1));
            averagingFactor = norm.momentum ?? 1.0 / batches.item<long>(); // TorchSharp's (double) cast makes a Scalar
        }
        var inBatchStatistics = norm.training || norm.running_mean is null && norm.running_var is null;
        var useRunning = !norm.training || norm.track_running_stats;
        return nn.functional.batch_norm(input, useRunning ? norm.running_mean : null, useRunning ? norm.running_var : null,
            norm.weight, norm.bias, inBatchStatistics, averagingFactor, norm.eps);
    }
}

/// <summary>
/// <c>nn.BatchNorm1d</c> (same parameters, buffers, state-dict names and results) whose training-mode batch count does
/// not hand libtorch scalars that the garbage collector may free mid-call (<see cref="ScalarScope"/>).
/// </summary>
public sealed class HeldBatchNorm1d(long features, double eps = 1e-05, double momentum = 0.1, bool affine = true, bool trackRunningStats = true,
    Device? device = null, ScalarType? dtype = null)
    : BatchNorm(features, eps, momentum, affine, trackRunningStats, device, dtype, "BatchNorm1d")
{
    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        ValidateInputDimensions(input);
        return HeldBatchNorm.Forward(this, input);
    }

    /// <inheritdoc/>
    protected override void ValidateInputDimensions(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.ndim is not (2 or 3))
            throw new ArgumentException($"expected 2D or 3D input, but got {input.ndim}D input.", nameof(input));
    }
}

/// <summary>
/// <c>nn.BatchNorm2d</c> (same parameters, buffers, state-dict names and results) whose training-mode batch count does
/// not hand libtorch scalars that the garbage collector may free mid-call (<see cref="ScalarScope"/>).
/// </summary>
public sealed class HeldBatchNorm2d(long features, double eps = 1e-05, double momentum = 0.1, bool affine = true, bool trackRunningStats = true,
    Device? device = null, ScalarType? dtype = null)
    : BatchNorm(features, eps, momentum, affine, trackRunningStats, device, dtype, "BatchNorm2d")
{
    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        ValidateInputDimensions(input);
        return HeldBatchNorm.Forward(this, input);
    }

    /// <inheritdoc/>
    protected override void ValidateInputDimensions(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.ndim != 4)
            throw new ArgumentException($"expected 4D input, but got {input.ndim}D input.", nameof(input));
    }
}
