using static TorchSharp.torch;

namespace NfmGen.Network;

/// <summary>
/// The channels-last (NHWC) memory layout for image batches. libtorch's CPU convolutions (oneDNN) run it directly and
/// keep it from layer to layer, while the default layout (NCHW) is reordered inside every convolution: on 2 cores a
/// PreActResNet-18 step took 25-30% less time at width 16 and 7-9% less at width 64 (docs/performance.md). The values and
/// shape are unchanged, only the strides differ, so a network sees the same tensor; it must reshape activations with
/// <c>reshape</c> or <c>flatten</c>, not <c>view</c>, which needs the default layout.
/// </summary>
internal static class ChannelsLast
{
    /// <summary>Whether <paramref name="device"/> gains from the layout by default: the CPU (oneDNN). CUDA is left as it is.</summary>
    public static bool IsDefaultFor(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return device.type == TorchSharp.DeviceType.CPU;
    }

    /// <summary>
    /// <paramref name="images"/> in the channels-last layout: a new tensor of the same values for a 4-D batch in
    /// another layout (gradients flow back to the batch); an alias of the batch (a new handle on the same memory) when it
    /// already is channels-last or is not 4-D (features, sequences). Either way the caller owns the result: disposing it
    /// leaves <paramref name="images"/> usable.
    /// </summary>
    public static Tensor Apply(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.dim() != 4 || IsChannelsLast(images))
            return images.alias();
        // Explicit strides: a permute-and-copy keeps NCHW strides for one channel (or a 1x1 image), which libtorch then
        // reads as NCHW.
        long[] shape = images.shape;
        var laidOut = empty_strided(shape, [shape[1] * shape[2] * shape[3], 1, shape[3] * shape[1], shape[1]], images.dtype, images.device);
        return laidOut.copy_(images);
    }

    /// <summary>
    /// Applies <paramref name="operation"/> to <paramref name="tensor"/> seen in memory order, and returns its result seen
    /// in the tensor's order again: for a channels-last batch the operation gets the dense NHWC view, so that kernels with
    /// a fast path for dense tensors only (libtorch's random fills are ten times slower on strided ones; gathers along
    /// the batch, about twice) take it. The operation must treat dimension 0 as the batch and need no other dimension.
    /// The result is a view: update it in place with autograd only where copying its whole base in backward is acceptable.
    /// </summary>
    internal static Tensor InMemoryOrder(Tensor tensor, Func<Tensor, Tensor> operation) =>
        IsChannelsLast(tensor) ? operation(tensor.permute(0, 2, 3, 1)).permute(0, 3, 1, 2) : operation(tensor);

    /// <summary>Whether a 4-D tensor is laid out channels-last: channels innermost, then width, height, batch.</summary>
    public static bool IsChannelsLast(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.dim() != 4)
            return false;
        var (shape, strides) = (images.shape, images.stride());
        return strides[1] == 1 && strides[3] == shape[1] && strides[2] == shape[1] * shape[3] && strides[0] == shape[1] * shape[2] * shape[3];
    }
}
