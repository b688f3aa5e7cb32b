using NfmGen.Data;
using NfmGen.Mixing;
using NfmGen.Mixing.PuzzleMix;
using NfmGen.Models;
using NfmGen.Training;
using static TorchSharp.torch;

namespace NfmGen.Tests.Mixing;

/// <summary>The Puzzle Mix scheme's mixer: its draws, its determinism, its adversarial step and what it refuses.</summary>
[Collection(GlobalGeneratorCollection.Name)]
public sealed class PuzzleMixMixerTests : IDisposable
{
    private static readonly Normalization Grey = Normalization.FashionMnist;
    private readonly SmallConvNet network;
    private readonly Tensor inputs;
    private readonly Tensor labels;

    public PuzzleMixMixerTests()
    {
        manual_seed(5);
        network = new SmallConvNet(numClasses: 3, inChannels: 1, width: 2, imageSize: 8);
        using var generator = new TorchSharp.torch.Generator(7);
        inputs = Grey.Normalize(rand([6, 1, 8, 8], generator: generator));
        labels = tensor(new long[] { 0, 1, 2, 2, 1, 0 });
    }

    public void Dispose()
    {
        network.Dispose();
        inputs.Dispose();
        labels.Dispose();
    }

    private PuzzleMixMixer Mixer(PuzzleMixOptions? options = null, long seed = 1) =>
        new(options ?? new PuzzleMixOptions(), network, Grey, seed, CPU, parallelism: 2);

    private static MixerContext Context(NfmNetworkInfo info) => new(info, 0, CPU);

    [Fact]
    public void TheSameSeedDrawsAndMixesTheSame()
    {
        using var scope = NewDisposeScope();
        using var first = Mixer();
        using var second = Mixer();

        for (var step = 0; step < 4; step++)
        {
            var (a, b) = (first.Sample(inputs, labels), second.Sample(inputs, labels));
            Assert.Equal((a.BlockCount, a.Lambda), (b.BlockCount, b.Lambda));
            TensorAssert.Identical(a.Permutation, b.Permutation);
            TensorAssert.Identical(a.Shares, b.Shares);
            TensorAssert.Identical(a.Mixed, b.Mixed);
        }
    }

    [Fact]
    public void EachStepDrawsAGridThatDividesTheSideAndMixesAtTheInput()
    {
        using var scope = NewDisposeScope();
        using var mixer = Mixer();
        var grids = new HashSet<int>();

        for (var draw = 0; draw < 12; draw++)
        {
            var step = mixer.Sample(inputs, labels);
            grids.Add(step.BlockCount);
            Assert.Equal(0, step.MixPoint);
            Assert.InRange(step.Lambda, 0, 1);
            Assert.Equal([6L], step.Shares.shape);
            Assert.Same(step.Shares, step.OwnShares);
            Assert.Equal(inputs.shape, step.Mixed.shape);
            TensorAssert.Identical(step.Mixed, mixer.Transform(step).Apply(inputs));
        }
        Assert.Subset(new HashSet<int>(PuzzleMixImages.BlockCounts(8)), grids);
        Assert.True(grids.Count > 1, "the grid is drawn per step");
    }

    [Fact]
    public void GetStateAndSetStateRepeatTheFollowingSteps()
    {
        using var scope = NewDisposeScope();
        using var mixer = Mixer();
        mixer.Sample(inputs, labels);
        var state = mixer.GetState();
        var expected = mixer.Sample(inputs, labels);

        using var restored = Mixer(seed: 99);
        restored.SetState(state);
        var repeated = restored.Sample(inputs, labels);

        Assert.Equal((expected.BlockCount, expected.Lambda), (repeated.BlockCount, repeated.Lambda));
        TensorAssert.Identical(expected.Mixed, repeated.Mixed);
    }

    [Fact]
    public void TheAdversarialFlagsFollowTheirProbability()
    {
        using var scope = NewDisposeScope();
        using var never = Mixer();
        using var always = Mixer(new PuzzleMixOptions(AdversarialProbability: 1));

        Assert.All(Enumerable.Range(0, 3).Select(_ => never.Sample(inputs, labels)), step => Assert.False(step.PerturbOwn || step.PerturbPartner));
        Assert.All(Enumerable.Range(0, 3).Select(_ => always.Sample(inputs, labels)), step => Assert.True(step.PerturbOwn && step.PerturbPartner));
    }

    [Fact]
    public void TheAdversarialNoiseChangesTheMixWithinItsBudgetAndAZeroBudgetChangesNothing()
    {
        using var scope = NewDisposeScope();
        using var clean = Mixer();
        using var zeroBudget = Mixer(new PuzzleMixOptions(AdversarialProbability: 1, AdversarialEpsilon: 0));
        using var perturbed = Mixer(new PuzzleMixOptions(AdversarialProbability: 1, AdversarialEpsilon: 10));

        var (a, b, c) = (clean.Sample(inputs, labels), zeroBudget.Sample(inputs, labels), perturbed.Sample(inputs, labels));

        // The grid, λ and partners are drawn before the adversarial step: the same for all three.
        Assert.Equal((a.BlockCount, a.Lambda), (b.BlockCount, b.Lambda));
        Assert.Equal((a.BlockCount, a.Lambda), (c.BlockCount, c.Lambda));
        TensorAssert.Identical(a.Permutation, b.Permutation);
        TensorAssert.Identical(a.Permutation, c.Permutation);
        TensorAssert.Close(a.Mixed, b.Mixed, 1e-5);
        Assert.False(a.Mixed.allclose(c.Mixed, rtol: 0, atol: 1e-4), "the adversarial noise must change the mixed images");
        var pixels = c.Mixed * Grey.Std[0] + Grey.Mean[0];
        Assert.True(pixels.min().item<float>() >= -1e-5 && pixels.max().item<float>() <= 1 + 1e-5, "perturbed pixels stay in [0, 1]");
    }

    [Fact]
    public void PointDataAndNonSquareImagesAreRefusedWithWhatIsWrong()
    {
        var method = TrainingScheme.PuzzleMix().Method;
        var info = SmallConvNet.NetworkInfo;

        var points = Assert.Throws<ArgumentException>(() => method.CreateMixer(Context(info) with { Network = network, DataName = "moons-train" }));
        Assert.Contains("Puzzle Mix (the puzzlemix scheme)", points.Message);
        Assert.Contains("moons-train is not image data", points.Message);

        var images = Context(info) with { Network = network, Normalization = Grey, DataName = "strips" };
        var oblong = Assert.Throws<ArgumentException>(() => method.CreateMixer(images with { ImageShape = [1, 8, 12] }));
        Assert.Contains("square images, but strips has images of [1, 8, 12]", oblong.Message);
        Assert.Contains("(was 7)", Assert.ThrowsAny<ArgumentException>(() => method.CreateMixer(images with { ImageShape = [1, 7, 7] })).Message);
        Assert.Contains("the mixer's context must hold the network",
            Assert.Throws<ArgumentException>(() => method.CreateMixer(images with { Network = null, ImageShape = [1, 8, 8] })).Message);
        using var mixer = method.CreateMixer(images with { ImageShape = [1, 8, 8] });
        Assert.IsType<PuzzleMixMixer>(mixer);
        using var _ = NewDisposeScope();
        Assert.Contains("square images shaped (N, 1, S, S)", Assert.Throws<ArgumentException>(() => ((PuzzleMixMixer)mixer).Sample(zeros(6, 1, 8, 4), labels)).Message);
    }

    [Fact]
    public void TheMixerLabelsOnTorchsThreadsByDefaultNotOnEveryCore()
    {
        // Not the processor count, so that the default cannot pass by coincidence; the collection runs alone.
        var before = get_num_threads();
        var budget = Environment.ProcessorCount + 1;
        set_num_threads(budget);
        try
        {
            var context = Context(SmallConvNet.NetworkInfo) with { Network = network, Normalization = Grey, ImageShape = [1, 8, 8] };
            using var mixer = (PuzzleMixMixer)TrainingScheme.PuzzleMix().CreateMixer(context);

            Assert.Equal(budget, context.Parallelism);
            Assert.Equal(budget, mixer.Parallelism);
        }
        finally
        {
            set_num_threads(before);
        }
    }

    [Fact]
    public void TheMethodValidatesItsOptions()
    {
        var bad = new TrainingScheme("p", new PuzzleMixMethod(new PuzzleMixOptions(Alpha: -1)));
        Assert.Contains("Alpha must be a finite number > 0 (was -1)", Assert.Throws<ArgumentException>(() => bad.Validate()).Message);
        Assert.Contains("Options must be set", Assert.Throws<ArgumentException>(() => new PuzzleMixMethod(null!).Validate()).Message);
    }
}
