using NfmGen.Mixing;
using NfmGen.Network;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NfmGen.Training;

/// <summary>
/// The core of one training step, shared by <see cref="NfmTrainer"/> and the benchmarks: sample the scheme's mix,
/// run the mixed forward pass, the mixed loss and backward. The caller decides whether to apply the update.
/// </summary>
internal static class TrainingStep
{
    /// <summary>
    /// Zeroes the gradients, then mixes (<paramref name="mixer"/>), runs <paramref name="network"/> forward and the loss
    /// backward, leaving the gradients for <c>optimizer.step()</c>. Call it inside the step's dispose scope. With
    /// <paramref name="channelsLast"/>, image inputs are laid out channels-last first (<see cref="ChannelsLast"/>). The
    /// loss is <paramref name="scheme"/>'s (<see cref="MixedLoss.Of"/>); with AugMix's views, <paramref name="inputs"/>
    /// hold 3 rows per label, and the clean view's predictions are counted.
    /// </summary>
    /// <returns>
    /// The loss and the λ-weighted number of correct predictions (as the reference code counts them; with per-sample
    /// shares, each sample weighted by its own share), read in one transfer.
    /// </returns>
    public static (double Loss, double Correct) ForwardBackward(
        INfmNetwork network, IBatchMixer mixer, OptimizerHelper optimizer, Tensor inputs, Tensor labels, TrainingScheme scheme, bool channelsLast = false)
    {
        if (channelsLast)
            inputs = ChannelsLast.Apply(inputs);
        var (step, transform) = mixer.Draw(inputs, labels);
        var logits = network.ForwardMixed(step.MixPoint, inputs, transform);
        var loss = MixedLoss.Of(logits, labels, step, scheme);
        optimizer.zero_grad();
        loss.backward();

        Tensor correct;
        using (no_grad())
        {
            var predictions = MixedLoss.CleanView(logits, labels).argmax(1);
            var (own, partner) = (predictions.eq(labels), predictions.eq(labels.index_select(0, step.Permutation)));
            using var scalars = new ScalarScope();
            if (step.OwnShares is { } shares)
            {
                var partnerCorrect = partner.to(ScalarType.Float64);
                correct = partnerCorrect.add(own.to(ScalarType.Float64).sub(partnerCorrect).mul(shares), scalars.Of(1)).sum();
            }
            else
            {
                correct = own.sum().mul(scalars.Of(step.Lambda)).add(partner.sum().mul(scalars.Of(1 - step.Lambda)), scalars.Of(1));
            }
        }
        var totals = stack([loss.detach().to(ScalarType.Float64), correct.to(ScalarType.Float64)]).cpu().data<double>().ToArray();
        return (totals[0], totals[1]);
    }
}
