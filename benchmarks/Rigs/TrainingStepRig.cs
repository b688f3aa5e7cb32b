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
    private readonly nn.Module<Tensor, Tensor> module;
    private readonly INfmNetwork network;
    private readonly IBatchMixer mixer;
    private readonly NfmGen.Training.SGD optimizer;
    private readonly Tensor inputs;
    private readonly Tensor labels;

    private TrainingStepRig(INfmNetwork network, TrainingScheme scheme, int batch, int channels, int side, long seed)
    {
        this.network = network;
        module = network.Module;
        module.train();
        // The trainer's defaults: SGD 0.1, momentum 0.9, weight decay 5e-4 (NoisyMix's recipe: Nesterov).
        optimizer = new NfmGen.Training.SGD(module.parameters(), 0.1, momentum: 0.9, weightDecay: 5e-4, nesterov: scheme.Name == "noisymix");
        this.mixer = scheme.CreateMixer(new MixerContext(this.network.Info, seed + 1, CPU)
        {
            Network = this.network,
            // Synthetic batches are normalised pixels of a CIFAR-like or Fashion-MNIST-like set.
            Normalization = channels == 3 ? Normalization.Cifar10 : Normalization.FashionMnist,
            ImageShape = [channels, side, side],
        });
        // AugMix's schemes take each image's three views, view by view: 3 x batch rows for batch labels.
        (this.inputs, var allLabels) = SyntheticData.Batch(batch * scheme.Views, channels, side, seed: seed + 2);
        labels = allLabels.narrow(0, 0, batch).clone().DetachFromDisposeScope();
        allLabels.Dispose();
        Scheme = scheme;
    }

    /// <summary>Whether inputs are laid out channels-last, as the trainer does on the CPU by default.</summary>
    public bool ChannelsLast { get; set; } = true;

    /// <summary>The network this rig trains.</summary>
    public nn.Module<Tensor, Tensor> Module => module;

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

    /// <summary>Runs one step on the rig's fixed batch and returns its loss.</summary>
    public double Step() => Step(this.inputs, labels);

    /// <summary>Runs one step on <paramref name="batchInputs"/> and <paramref name="batchLabels"/> (a loader's batch) and returns its loss.</summary>
    public double Step(Tensor batchInputs, Tensor batchLabels)
    {
        using var scope = NewDisposeScope();
        var (loss, _) = TrainingStep.ForwardBackward(this.network, this.mixer, optimizer, batchInputs, batchLabels, Scheme, ChannelsLast);
        optimizer.step();
        return loss;
    }

    /// <summary>Frees the network, optimiser, mixer and batch.</summary>
    public void Dispose()
    {
        this.mixer.Dispose();
        optimizer.Dispose();
        module.Dispose();
        this.inputs.Dispose();
        labels.Dispose();
    }
}
