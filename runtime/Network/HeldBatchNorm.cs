using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NfmGen.Network;

/// <summary>
/// TorchSharp's <see cref="BatchNorm"/> forward pass, line for line, except that the batch count
/// (<c>num_batches_tracked += 1</c>, in training mode) holds its scalars in a <see cref="ScalarScope"/>: TorchSharp's
/// own <c>num_batches_tracked.add_(1)</c> makes two on the fly, per batch-norm layer per training step. Same
/// parameters, buffers, state-dict names and results as TorchSharp's batch norms.
/// </summary>
public abstract class HeldBatchNorm(long features, double eps, double momentum, bool affine, bool trackRunningStats, Device? device, ScalarType? dtype, string name)
    : BatchNorm(features, eps, momentum, affine, trackRunningStats, device, dtype, name)
{
    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        ValidateInputDimensions(input);
        var averagingFactor = momentum ?? 0.0;
        if (training && track_running_stats && num_batches_tracked is { } batches)
        {
            using var scalars = new ScalarScope();
            batches.add_(scalars.Of(1), scalars.Of(1));
            averagingFactor = momentum ?? 1.0 / batches.item<long>(); // TorchSharp's (double) cast makes a Scalar
        }
        var inBatchStatistics = training || running_mean is null && running_var is null;
        var useRunning = !training || track_running_stats;
        return nn.functional.batch_norm(input, useRunning ? running_mean : null, useRunning ? running_var : null,
            weight, bias, inBatchStatistics, averagingFactor, eps);
    }
}
