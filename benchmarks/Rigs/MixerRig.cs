using NfmGen.Mixing;
using NfmGen.Models;
using static TorchSharp.torch;

namespace NfmGen.Benchmarks.Rigs;

/// <summary>The NFM mixer alone: sample a step, mix and add the noise to a feature map (128x128x16x16 by default).</summary>
public sealed class MixerRig : IDisposable
{
    private readonly NoisyFeatureMixer mixer;
    private readonly Tensor features;

    /// <summary>Features [batch, channels, side, side] and the paper's NFM mixer (α = 1, additive 0.4, multiplicative 0.2).</summary>
    public MixerRig(int batch = 128, int channels = 128, int side = 16)
    {
        this.mixer = new NoisyFeatureMixer(NfmPresets.Nfm(), PreActResNet18.NetworkInfo, seed: 5, CPU);
        (this.features, var labels) = SyntheticData.Batch(batch, channels, side);
        labels.Dispose();
    }

    /// <summary>One sample and apply; returns the result's element count so the work cannot be skipped.</summary>
    public long MixAndPerturb()
    {
        using var scope = NewDisposeScope();
        var step = this.mixer.Sample((int)this.features.shape[0]);
        return this.mixer.Apply(this.features, step).numel();
    }

    /// <summary>Frees the mixer and the features.</summary>
    public void Dispose()
    {
        this.mixer.Dispose();
        this.features.Dispose();
    }
}
