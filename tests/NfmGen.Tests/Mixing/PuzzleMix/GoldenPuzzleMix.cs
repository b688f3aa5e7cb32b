using NfmGen.Data;
using NfmGen.Mixing.PuzzleMix;
using static TorchSharp.torch;

namespace NfmGen.Tests.Mixing.PuzzleMix;

/// <summary>
/// One case that <c>tools/puzzlemix_reference.py golden</c> wrote to <c>Golden/&lt;case&gt;.npz</c>: its settings, the
/// reference's graph-cut costs and, for a given label grid, its transport plans, transported images and mixed batch.
/// The inputs are not stored: <see cref="Inputs"/> and friends make them with the script's integer formula.
/// </summary>
internal sealed partial class GoldenPuzzleMix
{
    public static readonly string[] Cases = ["b2_c3", "b4_c3", "b8_c3_n4", "b16_c3", "b4_c1_n2_adv"];

    public const int Batch = 4;
    public const int Side = 32;

    private readonly Dictionary<string, NpyArray> arrays;

    private GoldenPuzzleMix(string name, Dictionary<string, NpyArray> arrays)
    {
        Name = name;
        this.arrays = arrays;
    }

    public string Name { get; }

    public int Channels => Int("channels");
    public int BlockCount => Int("block_num");
    public int Labels => Int("n_labels");
    public double Lambda => Array("lam").Doubles[0];
    public bool Adversarial => Int("adversarial") != 0;
    public int Salt => Int("salt");

    public PuzzleMixOptions Options => new(
        Labels: Labels, Eta: Array("eta").Doubles[0], Beta: Array("beta").Doubles[0], Gamma: Array("gamma").Doubles[0],
        NeighbourSize: Int("neigh_size"), TransportSize: Int("t_size"), TransportCost: Array("t_eps").Doubles[0]);

    public Normalization Normalization => new(Array("mean").Floats, Array("std").Floats);

    public NpyArray Array(string name) => this.arrays.TryGetValue(name, out var array)
        ? array
        : throw new KeyNotFoundException($"{Name}.npz has no array '{name}'");

    private int Int(string name) => (int)Array(name).Longs[0];

    public static GoldenPuzzleMix Load(string name)
    {
        var path = Path.Combine(RepositoryPaths.Root, "tests", "NfmGen.Tests", "Mixing", "PuzzleMix", "Golden", name + ".npz");
        return new GoldenPuzzleMix(name, NpyArray.ReadNpz(path));
    }

    /// <summary>The script's integers: k = ((i · 2654435761 + salt) mod 2^32) div 2^24 for each flat index i, int64.</summary>
    public static Tensor Integers(long[] shape, long salt)
    {
        var count = shape.Aggregate(1L, (a, b) => a * b);
        var value = arange(count, ScalarType.Int64).mul(2654435761L).add(salt).remainder(1L << 32);
        return value.div(1L << 24, RoundingMode.floor).reshape(shape);
    }

    /// <summary>The normalised input batch: (k / 255 − mean) / std.</summary>
    public Tensor Inputs()
    {
        var pixels = Integers([Batch, Channels, Side, Side], Salt).to_type(ScalarType.Float32).div(255);
        return Normalization.Normalize(pixels);
    }

    /// <summary>The saliency: k³ / 2^24.</summary>
    public Tensor Saliency()
    {
        var k = Integers([Batch, Side, Side], Salt + 1000);
        return k.mul(k).mul(k).to_type(ScalarType.Float32).div(1 << 24);
    }

    /// <summary>The adversarial noise: (k − 128) / 2048.</summary>
    public Tensor Noise() => Integers([Batch, Channels, Side, Side], Salt + 2000).to_type(ScalarType.Float32).sub(128).div(2048);

    public Tensor Permutation() => tensor(Array("indices").Longs, [Batch], ScalarType.Int64);

    public PuzzleMixGrid Grid => PuzzleMixGrid.For(Side, BlockCount, Options);
}
