using NfmGen.Benchmarks.Handwritten;
using NfmGen.Models;
using static TorchSharp.torch;

namespace NfmGen.Benchmarks.Rigs;

/// <summary>
/// The generated <c>forward</c> of <see cref="Models.PreActResNet18"/> and the handwritten twin with the same weights,
/// on the same batch, in eval mode without gradients (so the layer calls, not autograd, are what differs).
/// </summary>
public sealed class ForwardRig : IDisposable
{
    private readonly PreActResNet18 generated;
    private readonly HandwrittenPreActResNet18 handwritten;
    private readonly Tensor inputs;

    /// <summary>Both networks at <paramref name="width"/>, with the generated one's weights copied into the twin.</summary>
    public ForwardRig(int width = 16, int batch = 128)
    {
        manual_seed(0);
        this.generated = new PreActResNet18(width: width);
        this.handwritten = new HandwrittenPreActResNet18(width: width);
        this.handwritten.load_state_dict(this.generated.state_dict());
        this.generated.eval();
        this.handwritten.eval();
        (inputs, var labels) = SyntheticData.Batch(batch, 3, 32);
        labels.Dispose();
    }

    /// <summary>One forward through the generated code; returns the first logit so the work cannot be skipped.</summary>
    public float Generated() => Run(this.generated);

    /// <summary>One forward through the handwritten twin.</summary>
    public float Handwritten() => Run(this.handwritten);

    private float Run(nn.Module<Tensor, Tensor> model)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        return model.call(inputs)[0, 0].item<float>();
    }

    /// <summary>Frees both networks and the batch.</summary>
    public void Dispose()
    {
        this.generated.Dispose();
        this.handwritten.Dispose();
        inputs.Dispose();
    }
}
