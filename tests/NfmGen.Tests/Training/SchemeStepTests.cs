using NfmGen.Mixing;
using NfmGen.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NfmGen.Tests.Training;

/// <summary>Each scheme's step does what its definition says.</summary>
public sealed class SchemeStepTests
{
    private static readonly NfmNetworkInfo Network = new("Net", [], ["input", "layer1"], MixInput: true);

    [Fact]
    public void CutMixLambdaEqualsTheShareOfPixelsKept()
    {
        using var scope = NewDisposeScope();
        using var mixer = new CutMixMixer(alpha: 1, seed: 5, CPU);
        var images = arange(4 * 2 * 10 * 12, dtype: ScalarType.Float32).view(4, 2, 10, 12);

        for (var draw = 0; draw < 50; draw++)
        {
            var step = (CutMixStep)mixer.Sample(images);
            var mixed = mixer.Transform(step).Apply(images);

            var changed = mixed.ne(images).sum([0, 1]).gt(0).sum().item<long>();
            Assert.Equal(step.Box.Area > 0 && !IsIdentity(step.Permutation) ? step.Box.Area : 0, changed);
            Assert.Equal(1.0 - step.Box.Area / 120.0, step.Lambda, 12);
            Assert.Equal(0, step.MixPoint);
        }
    }

    [Fact]
    public void CutMixPastesThePartnersBoxAndKeepsTheRest()
    {
        using var scope = NewDisposeScope();
        using var mixer = new CutMixMixer(alpha: 1, seed: 9, CPU);
        var images = randn(6, 3, 16, 16);
        var step = (CutMixStep)Enumerable.Range(0, 20).Select(_ => mixer.Sample(images)).First(step => ((CutMixStep)step).Box.Area > 0);
        var mixed = mixer.Transform(step).Apply(images);
        var (rows, columns) = (TensorIndex.Slice(step.Box.Top, step.Box.Bottom), TensorIndex.Slice(step.Box.Left, step.Box.Right));

        var partners = images.index_select(0, step.Permutation);
        Assert.True(mixed[TensorIndex.Ellipsis, rows, columns].equal(partners[TensorIndex.Ellipsis, rows, columns]).all().item<bool>());
        var outside = ones(16, 16, dtype: ScalarType.Bool);
        outside[rows, columns] = tensor(false);
        Assert.True(mixed.masked_select(outside).equal(images.masked_select(outside)).all().item<bool>());
    }

    [Fact]
    public void CutMixIsSeededAndRefusesNonImages()
    {
        using var scope = NewDisposeScope();
        using var first = new CutMixMixer(1, seed: 3, CPU);
        using var second = new CutMixMixer(1, seed: 3, CPU);
        var images = zeros(8, 1, 8, 8);

        var a = (CutMixStep)first.Sample(images);
        var b = (CutMixStep)second.Sample(images);
        Assert.Equal(a.Box, b.Box);
        Assert.True(a.Permutation.equal(b.Permutation).all().item<bool>());
        Assert.Throws<ArgumentException>(() => first.Sample(zeros(8, 2)));
        Assert.Contains("(was -1)", Assert.Throws<ArgumentException>(() => new CutMixMixer(-1, 0, CPU)).Message);
    }

    [Fact]
    public void LabelSmoothingLossMatchesItsDefinition()
    {
        using var scope = NewDisposeScope();
        var logits = tensor(new float[] { 2, 0, -1, 0.5f, 1, 0 }).view(2, 3);
        var targets = tensor(new long[] { 0, 2 });
        var step = new NfmStep(0, 1.0, arange(2), 0, 0);

        var loss = MixedLoss.CrossEntropy(logits, targets, step, labelSmoothing: 0.1).item<float>();

        var logProbabilities = nn.functional.log_softmax(logits, 1);
        var smoothed = full(2, 3, 0.1 / 3).index_put_(tensor(0.9f + 0.1f / 3), [arange(2), targets]);
        var expected = -(smoothed * logProbabilities).sum(1).mean().item<float>();
        Assert.Equal(expected, loss, 5);
    }

    [Fact]
    public void PresetsMixWhereTheirDefinitionsSay()
    {
        Assert.Equal(MixPointSelection.InputOnly, TrainingScheme.InputMixup().NfmOptions().MixPoints);
        Assert.Equal(MixPointSelection.All, TrainingScheme.ManifoldMixup().NfmOptions().MixPoints);
        Assert.Equal(0, TrainingScheme.ManifoldMixup().NfmOptions().AdditiveNoise);
        Assert.Equal(0, TrainingScheme.NoiseInjection().NfmOptions().Alpha);
        Assert.Equal(MixPointSelection.InputOnly, TrainingScheme.NoisyMixup().NfmOptions().MixPoints);
        Assert.Equal((1.0, 0.4, 0.2), (TrainingScheme.Nfm().NfmOptions().Alpha, TrainingScheme.Nfm().NfmOptions().AdditiveNoise, TrainingScheme.Nfm().NfmOptions().MultiplicativeNoise));
        Assert.Equal(0.1, TrainingScheme.LabelSmoothed().LabelSmoothing);
        using var cutMix = TrainingScheme.CutMix().CreateMixer(new MixerContext(Network, 0, CPU) { ImageShape = [1, 8, 8] });
        Assert.IsType<CutMixMixer>(cutMix);
        using var nfm = TrainingScheme.Nfm().CreateMixer(new MixerContext(Network, 0, CPU));
        Assert.IsType<NoisyFeatureMixer>(nfm);
    }

    [Fact]
    public void ParseKnowsEverySchemeAndNamesTheAcceptedOnes()
    {
        foreach (var name in TrainingScheme.Names)
            Assert.Equal(name, TrainingScheme.Parse(name).Name);

        var error = Assert.Throws<ArgumentException>(() => TrainingScheme.Parse("shufflemix"));
        Assert.Contains("unknown scheme 'shufflemix' (accepted: erm, noise, label-smoothing, mixup, cutmix, manifold-mixup, noisy-mixup, nfm, puzzlemix, augmix, noisymix)", error.Message);
    }

    private static bool IsIdentity(Tensor permutation) => permutation.equal(arange(permutation.shape[0])).all().item<bool>();
}
