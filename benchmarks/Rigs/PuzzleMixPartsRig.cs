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
    private readonly PreActResNet18 _network;
    private readonly Tensor _inputs;
    private readonly Tensor _labels;
    private readonly Tensor _saliency;
    private readonly Tensor _permutation;
    private readonly IReadOnlyList<int> _blockCounts;
    private int _calls;

    /// <summary>Builds the network of <paramref name="width"/> and a fixed batch of <paramref name="batch"/> 3x32x32 images.</summary>
    public PuzzleMixPartsRig(int width, int batch, long seed = 0)
    {
        manual_seed(seed);
        _network = new PreActResNet18(width: width);
        _network.train();
        var (inputs, labels) = SyntheticData.Batch(batch, 3, 32, seed: seed + 2);
        _inputs = ChannelsLast.Apply(inputs).DetachFromDisposeScope();
        _labels = labels;
        _saliency = InputSaliency.PerPixel(InputSaliency.Gradient(_network, _inputs, _labels)).DetachFromDisposeScope();
        _permutation = randperm(batch).DetachFromDisposeScope();
        _blockCounts = PuzzleMixImages.BlockCounts(32);
    }

    /// <summary>The saliency of the batch, as the mixer computes it each step.</summary>
    public void Saliency()
    {
        using var scope = NewDisposeScope();
        InputSaliency.PerPixel(InputSaliency.Gradient(_network, _inputs, _labels));
    }

    /// <summary>The masks and the mixed batch at the official settings on 2 threads, each call the next of the 2, 4, 8 and 16 block grids.</summary>
    public void Masks()
    {
        using var scope = NewDisposeScope();
        var blockCount = _blockCounts[_calls++ % _blockCounts.Count];
        PuzzleMixImages.Mix(_inputs, _saliency, _permutation, blockCount, 0.5, new PuzzleMixOptions(), Normalization.Cifar10, parallelism: 2);
    }

    /// <summary>Frees the network and the batch.</summary>
    public void Dispose()
    {
        _network.Dispose();
        _inputs.Dispose();
        _labels.Dispose();
        _saliency.Dispose();
        _permutation.Dispose();
    }
}
