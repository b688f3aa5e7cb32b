using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using NfmGen.Network;
using TorchSharp;
using static TorchSharp.torch;

namespace NfmGen.Randomness;

/// <summary>
/// Random tensors for any device from a seeded generator. TorchSharp 0.107 creates every <see cref="Generator"/> on the
/// CPU whatever device it is given (dotnet/TorchSharp#1194), and CUDA kernels refuse a CPU generator; so draws for
/// another device are made on the CPU and moved. Slower on a GPU, but seeded and reproducible on every device.
/// </summary>
internal static class DeviceRandom
{
    /// <summary>A tensor shaped like <paramref name="like"/>, on its device, of N(mean, std²) draws.</summary>
    public static Tensor Normal(Tensor like, double mean, double std, Generator generator) =>
        Draws(like, generator,
            (floats, seed) => VectorRandom.Normal(floats, seed, (float)mean, (float)std),
            dense => dense.normal_(mean, std, generator));

    /// <summary>A tensor shaped like <paramref name="like"/>, on its device, of U(low, high) draws.</summary>
    public static Tensor Uniform(Tensor like, double low, double high, Generator generator) =>
        Draws(like, generator,
            (floats, seed) => VectorRandom.Uniform(floats, seed, (float)low, (float)high),
            dense => dense.uniform_(low, high, generator));

    /// <summary>U(0, 1) draws of the given shape and type on <paramref name="device"/>.</summary>
    public static Tensor Rand(long[] shape, ScalarType dtype, Device device, Generator generator) =>
        OnDevice(rand(shape, dtype, CPU, generator: generator), device);

    /// <summary>N(0, 1) draws of the given shape and type on <paramref name="device"/>.</summary>
    public static Tensor Randn(long[] shape, ScalarType dtype, Device device, Generator generator) =>
        OnDevice(randn(shape, dtype, CPU, generator: generator), device);

    /// <summary>A random permutation of 0..n-1 (int64) on <paramref name="device"/>.</summary>
    public static Tensor Permutation(long n, Device device, Generator generator) =>
        OnDevice(randperm(n, dtype: ScalarType.Int64, device: CPU, generator: generator), device);

    // Of the layout of like (channels-last or the default) on the CPU.
    private static Tensor CpuLike(Tensor like) => empty_like(like, device: CPU);

    // Fills a channels-last tensor through its dense NHWC view: libtorch's random fills are vectorised for dense tensors
    // only (ten times slower on strided ones). Returns the tensor itself, not the view, so that later in-place updates
    // with autograd are not updates of a view, for which autograd would copy the whole base in backward.
    private static Tensor FillInMemoryOrder(Tensor tensor, Action<Tensor> fill)
    {
        if (!ChannelsLast.IsChannelsLast(tensor))
        {
            fill(tensor);
            return tensor;
        }
        using var dense = tensor.permute(0, 2, 3, 1);
        fill(dense);
        return tensor;
    }

    // libtorch fills a tensor on one core; dense float32 tensors (the features NFM perturbs) are filled by VectorRandom
    // instead, about twice as fast, from one seed drawn from the generator, which so stays the whole state to save.
    private static bool IsVectorFillable(Tensor dense) =>
        Vector256.IsHardwareAccelerated && dense.dtype == ScalarType.Float32 && dense.is_contiguous() && dense.numel() <= int.MaxValue / sizeof(float);

    private delegate void VectorFill(Span<float> destination, ulong seed);

    // A tensor like `like` on its device, filled on the CPU in memory order: by VectorRandom where it can, else by libtorch.
    private static Tensor Draws(Tensor like, Generator generator, VectorFill vectorFill, Action<Tensor> torchFill) =>
        OnDevice(FillInMemoryOrder(CpuLike(like), dense =>
        {
            if (IsVectorFillable(dense))
                vectorFill(MemoryMarshal.Cast<byte, float>(dense.bytes), DrawSeed(generator));
            else
                torchFill(dense);
        }), like.device);

    private static ulong DrawSeed(Generator generator)
    {
        using var seed = randint(0, long.MaxValue, [1], ScalarType.Int64, CPU, generator: generator);
        return unchecked((ulong)seed.item<long>());
    }

    private static Tensor OnDevice(Tensor tensor, Device device) => device.type == DeviceType.CPU ? tensor : tensor.to(device);
}
