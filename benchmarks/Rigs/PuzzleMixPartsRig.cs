using NfmGen.Data;
using NfmGen.Mixing;
using NfmGen.Mixing.PuzzleMix;
using NfmGen.Models;
using NfmGen.Network;
using static TorchSharp.torch;

namespace NfmGen.Benchmarks.Rigs;

/// <summary>
/// The two parts a Puzzle Mix step adds to an ordinary one, timed apart on PreActResNet-18's CIFAR-shaped batches: the
/// saliency (an evaluation-mode forward and an input-only backward) and the masks (per-sample graph cuts and transport).
/// </summary>
public sealed class PuzzleMixPartsRig : IDisposable
{
    private readonly PreActResNet18 network;
    private readonly Tensor inputs;
    private readonly Tensor labels;
    private readonly Tensor saliency;
    private readonly Tensor permutation;
    private readonly IReadOnlyList<int> blockCounts;
    private int calls;

    /// <summary>Builds the network of <paramref name="width"/> and a fixed batch of <paramref name="batch"/> 3x32x32 images.</summary>
    public PuzzleMixPartsRig(int width, int batch, long seed = 0)
    {
        manual_seed(seed);
        this.network = new PreActResNet18(width: width);
        this.network.train();
        var (inputs, labels) = SyntheticData.Batch(batch, 3, 32, seed: seed + 2);
        this.inputs = ChannelsLast.Apply(inputs).DetachFromDisposeScope();
        this.labels = labels;
        this.saliency = InputSaliency.PerPixel(InputSaliency.Gradient(this.network, this.inputs, this.labels)).DetachFromDisposeScope();
        permutation = randperm(batch).DetachFromDisposeScope();
        blockCounts = PuzzleMixImages.BlockCounts(32);
    }

    /// <summary>The saliency of the batch, as the mixer computes it each step.</summary>
    public void Saliency()
    {
        using var scope = NewDisposeScope();
        InputSaliency.PerPixel(InputSaliency.Gradient(this.network, this.inputs, this.labels));
    }

    /// <summary>The masks and the mixed batch at the official settings on 2 threads, each call the next of the 2, 4, 8 and 16 block grids.</summary>
    public void Masks()
    {
        using var scope = NewDisposeScope();
        var blockCount = blockCounts[calls++ % blockCounts.Count];
        PuzzleMixImages.Mix(this.inputs, this.saliency, permutation, blockCount, 0.5, new PuzzleMixOptions(), Normalization.Cifar10, parallelism: 2);
    }

    /// <summary>Frees the network and the batch.</summary>
    public void Dispose()
    {
        this.network.Dispose();
        this.inputs.Dispose();
        this.labels.Dispose();
        this.saliency.Dispose();
        permutation.Dispose();
    }
}
