using NfmGen.Network;
using NfmGen.Randomness;
using static TorchSharp.torch;

namespace NfmGen.Data;

/// <summary>
/// Everything random about one epoch, drawn at its start from a generator seeded by (seed, epoch): the sample
/// order and, with augmentation, the crop and flip of each position. Batch b reads positions
/// <c>b*B .. b*B+B-1</c>, so skipping batches costs nothing and a resumed epoch sees the same batches.
/// Drawn on the CPU so that the batches do not depend on the device.
/// </summary>
internal sealed class EpochPlan : IDisposable
{
    private EpochPlan(Tensor order, Tensor? offsets, Tensor? flips)
    {
        Order = order;
        Offsets = offsets;
        Flips = flips;
    }

    /// <summary>The dataset index at each position of the epoch, int64 <c>[N]</c>.</summary>
    public Tensor Order { get; }

    /// <summary>The crop offsets of each position, or null without augmentation.</summary>
    public Tensor? Offsets { get; }

    /// <summary>The flips of each position, or null without augmentation.</summary>
    public Tensor? Flips { get; }

    /// <summary>The crop offsets and flips of positions <c>start .. start+length-1</c>, or null without augmentation.</summary>
    public (Tensor Offsets, Tensor Flips)? Crops(long start, long length) =>
        Offsets is not null && Flips is not null ? (Offsets.narrow(0, start, length), Flips.narrow(0, start, length)) : null;

    /// <summary>
    /// Positions <c>start .. start+length-1</c> of this plan as a plan of their own, each dataset index replaced by
    /// <paramref name="map"/>'s entry for it: a subset's batch as its parent dataset reads it.
    /// </summary>
    public EpochPlan Slice(Tensor map, long start, long length)
    {
        using var scope = NewDisposeScope();
        var order = map.index_select(0, Order.narrow(0, start, length));
        var offsets = Offsets?.narrow(0, start, length).clone();
        var flips = Flips?.narrow(0, start, length).clone();
        scope.Detach(order);
        if (offsets is not null && flips is not null)
            scope.Detach(offsets, flips);
        return new EpochPlan(order, offsets, flips);
    }

    public static EpochPlan Create(long count, long seed, int epoch, bool shuffle, bool augment)
    {
        // In a scope of its own: the plan outlives whatever scope the caller (the consumer, without prefetch) is in.
        using var scope = NewDisposeScope();
        using var generator = new Generator(EpochSeed(seed, epoch), CPU);
        using var scalars = new ScalarScope();
        var order = shuffle ? randperm(count, ScalarType.Int64, CPU, generator: generator) : arange(scalars.Of(0), scalars.Of(count), scalars.Of(1), ScalarType.Int64, CPU);
        if (!augment)
        {
            scope.Detach(order);
            return new EpochPlan(order, null, null);
        }
        var (offsets, flips) = CropAndFlip.SampleParameters(count, generator);
        scope.Detach(order, offsets, flips);
        return new EpochPlan(order, offsets, flips);
    }

    /// <summary>
    /// A seed that differs for every (seed, epoch), mixed with SplitMix64's finaliser so that nearby seeds and epochs
    /// give unrelated streams. libtorch's CPU generator uses the low 32 bits, so the mix matters.
    /// </summary>
    internal static ulong EpochSeed(long seed, int epoch)
    {
        return Seeds.SplitMix64(unchecked((ulong)seed * Seeds.GoldenGamma + (ulong)epoch + 1));
    }

    public void Dispose()
    {
        Order.Dispose();
        Offsets?.Dispose();
        Flips?.Dispose();
    }
}
