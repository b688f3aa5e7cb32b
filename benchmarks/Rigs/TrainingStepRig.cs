using NfmGen.Data;
using NfmGen.Mixing;
using NfmGen.Models;
using NfmGen.Network;
using NfmGen.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NfmGen.Benchmarks.Rigs;

/// <summary>
/// One SGD step of a scheme on a fixed batch through the trainer's own <see cref="TrainingStep"/> and an update, without
/// the data loader, so that the step's own cost is what is timed.
/// </summary>
public sealed class TrainingStepRig : IDisposable
{
    private readonly nn.Module<Tensor, Tensor> _module;
    private readonly INfmNetwork _network;
    private readonly IBatchMixer _mixer;
    private readonly SGD _optimizer;
    private readonly Tensor _inputs;
    private readonly Tensor _labels;

    private TrainingStepRig(INfmNetwork network, TrainingScheme scheme, int batch, int channels, int side, long seed)
    {
        _network = network;
        _module = network.Module;
        _module.train();
        // The trainer's defaults: SGD 0.1, momentum 0.9, weight decay 5e-4.
        _optimizer = optim.SGD(_module.parameters(), 0.1, momentum: 0.9, weight_decay: 5e-4);
        _mixer = scheme.CreateMixer(new MixerContext(_network.Info, seed + 1, CPU)
        {
            Network = _network,
            // Synthetic batches are normalised pixels of a CIFAR-like or Fashion-MNIST-like set.
            Normalization = channels == 3 ? Normalization.Cifar10 : Normalization.FashionMnist,
            ImageShape = [channels, side, side],
        });
        (_inputs, _labels) = SyntheticData.Batch(batch, channels, side, seed: seed + 2);
        Scheme = scheme;
    }

    /// <summary>Whether inputs are laid out channels-last, as the trainer does on the CPU by default.</summary>
    public bool ChannelsLast { get; set; } = true;

    /// <summary>The scheme this rig trains with.</summary>
    public TrainingScheme Scheme { get; }

    /// <summary>PreActResNet-18 of <paramref name="width"/> on CIFAR-shaped batches (3x32x32).</summary>
    public static TrainingStepRig PreActResNet18(int width, string scheme, int batch = 128, int side = 32, long seed = 0)
    {
        manual_seed(seed);
        return new TrainingStepRig(new PreActResNet18(width: width), BenchmarkSchemes.Get(scheme), batch, 3, side, seed);
    }

    /// <summary>The 28x28 grey network on Fashion-MNIST-shaped batches (1x28x28).</summary>
    public static TrainingStepRig SmallConvNet(string scheme, int batch = 128, int width = 32, long seed = 0)
    {
        manual_seed(seed);
        return new TrainingStepRig(new SmallConvNet(width: width), BenchmarkSchemes.Get(scheme), batch, 1, 28, seed);
    }

    /// <summary>Runs one step and returns its loss.</summary>
    public double Step()
    {
        using var scope = NewDisposeScope();
        var (loss, _) = TrainingStep.ForwardBackward(_network, _mixer, _optimizer, _inputs, _labels, Scheme.LabelSmoothing, ChannelsLast);
        _optimizer.step();
        return loss;
    }

    /// <summary>Frees the network, optimiser, mixer and batch.</summary>
    public void Dispose()
    {
        _mixer.Dispose();
        _optimizer.Dispose();
        _module.Dispose();
        _inputs.Dispose();
        _labels.Dispose();
    }
}
