using NfmGen.Data;
using NfmGen.Inference;
using NfmGen.Network;
using TorchSharp;
using static TorchSharp.torch;

namespace NfmGen.Cli.Demo;

/// <summary>Accuracy of a classifier of points when Gaussian noise is added to the points, as in the paper's toy experiment.</summary>
internal static class FeatureNoise
{
    /// <summary>Mean accuracy over <paramref name="draws"/> noisy copies of <paramref name="data"/> with noise std <paramref name="sigma"/>.</summary>
    public static double Accuracy(nn.Module<Tensor, Tensor> model, FeatureDataset data, double sigma, long seed, int draws = 5)
    {
        using var scope = NewDisposeScope();
        using var inference = InferenceScope.NoGrad(model);
        using var generator = new TorchSharp.torch.Generator(unchecked((ulong)seed));
        using var scalars = new ScalarScope();
        var correct = 0L;
        for (var draw = 0; draw < draws; draw++)
        {
            var noisy = data.Features.add(randn(data.Features.shape, generator: generator) * scalars.Of(sigma), scalars.Of(1));
            correct += model.call(noisy).argmax(1).eq(data.Labels).sum().item<long>();
        }
        return (double)correct / (draws * data.Count);
    }
}
