using TorchSharp;
using static TorchSharp.torch;

namespace NfmGen.Training;

/// <summary>
/// An exponential moving average of a network's weights, as timm's <c>ModelEmaV3</c> keeps it: after each optimiser
/// step, every floating-point entry of the state dict (parameters and batch-norm statistics) moves towards the
/// network's by 1 − decay, and the others (step counters) are copied. The first update copies the network; with
/// warm-up the decay rises as 1 − (1 + step)^(−2/3) until it reaches its setting (timm's <c>use_warmup</c>, γ = 1).
/// </summary>
internal sealed class ModelEma : IDisposable
{
    private readonly nn.Module module;
    private readonly double decay;
    private readonly bool warmup;
    private readonly Tensor[] averages;

    /// <summary>Starts the average at <paramref name="module"/>'s weights, on their device.</summary>
    public ModelEma(nn.Module module, double decay, bool warmup)
    {
        this.module = module;
        this.decay = decay;
        this.warmup = warmup;
        using var scope = NewDisposeScope(); // frees the detached views; the copies leave it
        averages = [.. module.state_dict().Values.Select(value => value.detach().clone().DetachFromDisposeScope())];
    }

    /// <summary>The averaged state dict's values, in the module's state-dict order (what a checkpoint saves).</summary>
    public IReadOnlyList<Tensor> State => averages;

    /// <summary>The decay of the update after global step <paramref name="step"/> (from 1): 0 at the first.</summary>
    public double Decay(long step)
    {
        var updates = Math.Max(0, step - 1);
        if (updates == 0)
            return 0;
        return warmup ? Math.Min(1 - Math.Pow(1 + updates, -2.0 / 3), decay) : decay;
    }

    /// <summary>Moves the average towards the module's weights after global step <paramref name="step"/>.</summary>
    public void Update(long step)
    {
        var weight = 1 - Decay(step);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var values = module.state_dict().Values.ToArray();
        for (var i = 0; i < averages.Length; i++)
        {
            if (averages[i].is_floating_point())
                averages[i].lerp_(values[i], weight);
            else
                averages[i].copy_(values[i]);
        }
    }

    /// <summary>Restores an average saved from <see cref="State"/>.</summary>
    /// <exception cref="InvalidDataException">The saved average does not fit the module.</exception>
    public void SetState(IReadOnlyList<Tensor> saved)
    {
        if (saved.Count != averages.Length || saved.Where((tensor, i) => !tensor.shape.SequenceEqual(averages[i].shape)).Any())
            throw new InvalidDataException($"the checkpoint's moving average has {saved.Count} tensors that do not fit the network's {averages.Length}");
        using var noGrad = no_grad();
        for (var i = 0; i < averages.Length; i++)
            averages[i].copy_(saved[i]);
    }

    /// <summary>
    /// The result of <paramref name="evaluate"/> with the module holding the averaged weights; the module's own are put
    /// back afterwards, bit for bit, even on a throw.
    /// </summary>
    public T WithAverage<T>(Func<T> evaluate)
    {
        using var scope = NewDisposeScope();
        var values = module.state_dict().Values.ToArray();
        Tensor[] own;
        using (no_grad())
        {
            own = [.. values.Select(value => value.detach().clone())];
            for (var i = 0; i < values.Length; i++)
                values[i].copy_(averages[i]);
        }
        try
        {
            return evaluate();
        }
        finally
        {
            using (no_grad())
            {
                for (var i = 0; i < values.Length; i++)
                    values[i].copy_(own[i]);
            }
        }
    }

    /// <summary>Frees the averaged weights.</summary>
    public void Dispose()
    {
        foreach (var average in averages)
            average.Dispose();
    }
}
