using NfmGen.Data;
using NfmGen.Inference;
using NfmGen.Network;
using TorchSharp;
using static System.FormattableString;
using static TorchSharp.torch;

namespace NfmGen.Training;

/// <summary>
/// Checks made before a network is trained or evaluated, for mistakes that would otherwise give wrong results without a
/// word: a network with no parameters, and a hand-written <c>forward</c> that computes another function than the layer
/// chain that training runs.
/// </summary>
internal static class NetworkChecks
{
    /// <summary>The largest difference accepted between <c>forward</c> and the layer chain, relative to the output's magnitude (at least 1).</summary>
    public const double ForwardTolerance = 1e-4;

    /// <summary>How many samples the forward check runs.</summary>
    private const int ProbeSamples = 8;

    /// <summary>Refuses a network without parameters.</summary>
    /// <exception cref="InvalidOperationException"><paramref name="model"/> has no parameters; the message names it and the likely cause.</exception>
    public static void RequireParameters(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!model.parameters().Any())
            throw new InvalidOperationException(
                $"{NameOf(model)} has no parameters, so there is nothing to train or evaluate: most likely its constructor does not call "
                + "RegisterComponents() after creating its layers (warning NFM012)");
    }

    /// <summary>
    /// One probe of <paramref name="model"/> on the first samples of <paramref name="data"/> (in dataset order, laid out as
    /// <paramref name="channelsLast"/> says), in eval mode without gradients, restoring the training mode and drawing no
    /// random number: its outputs must cover the labels (a label at or above the number of outputs could only ever count
    /// as wrong), and, for an NFM network, its <c>forward</c>, which evaluation and export run, must compute what its
    /// layer chain computes, which training runs (<see cref="INfmNetwork.ForwardMixed"/>): <c>forward(x)</c> against
    /// <c>ForwardFrom(k, ForwardTo(k, x))</c> at the first eligible mix point k.
    /// </summary>
    /// <exception cref="InvalidDataException">A label is out of range; the message names the dataset, the label and the accepted range.</exception>
    /// <exception cref="InvalidOperationException">The forward pass and the chain differ; the message names the network.</exception>
    public static void RequireFits(nn.Module<Tensor, Tensor> model, LabeledDataset data, Device device, bool channelsLast)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        using var loader = new BatchLoader(data, (int)Math.Min(ProbeSamples, data.Count), device: device, prefetch: 0);
        foreach (var batch in loader.Epoch(0))
        {
            using var inference = InferenceScope.NoGrad(model);
            using var scope = NewDisposeScope();
            var inputs = channelsLast ? ChannelsLast.Apply(batch.Inputs) : batch.Inputs;
            var forward = model.call(inputs);
            ClassLabels.EnsureBelow(data.Labels, (int)forward.shape[^1], $"{data.Name} (for {NameOf(model)})");
            if (model is INfmNetwork network)
                RequireChainGives(network, inputs, forward);
            return;
        }
    }

    // Inside an inference scope: the chain's outputs on inputs against forward's.
    private static void RequireChainGives(INfmNetwork network, Tensor inputs, Tensor forward)
    {
        var info = network.Info;
        var mixPoint = info.EligibleMixPoints.Count > 0 ? info.EligibleMixPoints[0] : 0;
        var chain = network.ForwardFrom(mixPoint, network.ForwardTo(mixPoint, inputs));
        if (!forward.shape.SequenceEqual(chain.shape))
            throw Diverges(info, mixPoint, $"forward gives shape [{string.Join(", ", forward.shape)}], the chain [{string.Join(", ", chain.shape)}]");
        var difference = (forward - chain).abs().max().to(ScalarType.Float64).item<double>();
        var scale = Math.Max(1, forward.abs().max().to(ScalarType.Float64).item<double>());
        if (!(difference <= ForwardTolerance * scale))
            throw Diverges(info, mixPoint, Invariant($"on {inputs.shape[0]} samples their outputs differ by up to {difference:G3}"));
    }

    private static InvalidOperationException Diverges(NfmNetworkInfo info, int mixPoint, string how) => new(
        Invariant($"{info.Name}'s hand-written forward computes a different function from the layer chain that training uses ")
        + Invariant($"(its [Layer] and [Mixable] members in declaration order): forward(x) and ForwardFrom({mixPoint}, ForwardTo({mixPoint}, x)) disagree, {how}. ")
        + "Training would fit one function and evaluation and export would run another: make forward run the same layers, "
        + "or delete it so that the generator writes it");

    private static string NameOf(nn.Module model) => model is INfmNetwork network ? network.Info.Name : model.GetType().Name;
}
