using NfmGen.Models;
using NfmGen.Network;
using static TorchSharp.torch;

namespace NfmGen.Benchmarks.Rigs;

/// <summary>The evaluation forward of <c>Evaluation.Evaluate</c> on one batch: eval mode, no gradients, summed loss and hits read once.</summary>
public sealed class EvaluationRig : IDisposable
{
    private readonly nn.Module<Tensor, Tensor> model;
    private readonly Tensor inputs;
    private readonly Tensor labels;
    private readonly bool inferenceMode;
    private readonly bool channelsLast;

    /// <summary>PreActResNet-18 on one batch of CIFAR-shaped images.</summary>
    /// <param name="width">The network's width.</param>
    /// <param name="batch">The batch size.</param>
    /// <param name="inferenceMode">Run under <c>torch.inference_mode()</c> instead of <c>no_grad()</c>.</param>
    /// <param name="channelsLast">Lay the batch out channels-last before each forward, as <c>Evaluation.Evaluate</c> does on the CPU.</param>
    public EvaluationRig(int width, int batch = 512, bool inferenceMode = false, bool channelsLast = false)
    {
        manual_seed(0);
        this.model = new PreActResNet18(width: width);
        this.model.eval();
        (inputs, labels) = SyntheticData.Batch(batch, 3, 32);
        this.inferenceMode = inferenceMode;
        this.channelsLast = channelsLast;
    }

    /// <summary>Evaluates the batch once; returns the number of correct predictions.</summary>
    public double Evaluate()
    {
        using var mode = this.inferenceMode ? inference_mode() : no_grad();
        using var scope = NewDisposeScope();
        var logits = this.model.call(this.channelsLast ? ChannelsLast.Apply(inputs) : inputs); // laid out per batch, as Evaluation does
        var totals = stack([
            nn.functional.cross_entropy(logits, labels, reduction: nn.Reduction.Sum),
            logits.argmax(1).eq(labels).sum().to(ScalarType.Float32)]).cpu();
        return totals[1].item<float>();
    }

    /// <summary>Frees the model and the batch.</summary>
    public void Dispose()
    {
        this.model.Dispose();
        inputs.Dispose();
        labels.Dispose();
    }
}
