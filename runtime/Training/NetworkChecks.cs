using NfmGen.Data;
using TorchSharp;
using static System.FormattableString;
using static TorchSharp.torch;

namespace NfmGen.Training;

/// <summary>
/// Checks made before a network is trained or evaluated, for mistakes that would otherwise give wrong results without a
/// word: a network with no parameters, and a hand-written <c>forward</c> that computes another function than the layer
/// chain that training runs.
/// </summary>
public static class NetworkChecks
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
    /// Refuses <paramref name="data"/> whose labels <paramref name="model"/> cannot output: a label at or above its number of
    /// outputs (found by one forward pass of one sample, in eval mode, without gradients) could only ever count as wrong.
    /// </summary>
    /// <exception cref="InvalidDataException">A label is out of range; the message names the dataset, the label and the accepted range.</exception>
    public static void RequireOutputsCoverLabels(nn.Module<Tensor, Tensor> model, LabeledDataset data, Device device, bool channelsLast)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        using var loader = new BatchLoader(data, 1, device: device, prefetch: 0);
        foreach (var batch in loader.Epoch(0))
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var wasTraining = model.training;
            model.eval();
            try
            {
                var outputs = model.call(channelsLast ? ChannelsLast.Apply(batch.Inputs) : batch.Inputs).shape[^1];
                ClassLabels.EnsureBelow(data.Labels, (int)outputs, $"{data.Name} (for {NameOf(model)})");
            }
            finally
            {
                model.train(wasTraining);
            }
            return;
        }
    }

    /// <summary>
    /// Checks that <paramref name="network"/>'s <c>forward</c> (its <see cref="INfmNetwork.Module"/>'s), which evaluation
    /// and export run, computes what its layer chain computes, which training runs (<see cref="INfmNetwork.ForwardMixed"/>):
    /// in eval mode, without gradients, on the first samples of <paramref name="data"/> (in dataset order, laid out as
    /// <paramref name="channelsLast"/> says), <c>forward(x)</c> against <c>ForwardFrom(k, ForwardTo(k, x))</c> at the first
    /// eligible mix point k. Draws no random number and restores the training mode.
    /// </summary>
    /// <exception cref="InvalidOperationException">They differ; the message names the network.</exception>
    public static void RequireForwardMatchesChain(INfmNetwork network, LabeledDataset data, Device device, bool channelsLast)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        using var loader = new BatchLoader(data, (int)Math.Min(ProbeSamples, data.Count), device: device, prefetch: 0);
        foreach (var batch in loader.Epoch(0))
        {
            using var scope = NewDisposeScope();
            RequireForwardMatchesChain(network, channelsLast ? ChannelsLast.Apply(batch.Inputs) : batch.Inputs);
            return;
        }
    }

    /// <summary>As <see cref="RequireForwardMatchesChain(INfmNetwork, LabeledDataset, Device, bool)"/>, on the batch <paramref name="inputs"/>.</summary>
    /// <exception cref="InvalidOperationException">They differ; the message names the network.</exception>
    public static void RequireForwardMatchesChain(INfmNetwork network, Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(inputs);
        var model = network.Module;
        var info = network.Info;
        var mixPoint = info.EligibleMixPoints.Count > 0 ? info.EligibleMixPoints[0] : 0;
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var forward = model.call(inputs);
            var chain = network.ForwardFrom(mixPoint, network.ForwardTo(mixPoint, inputs));
            if (!forward.shape.SequenceEqual(chain.shape))
                throw Diverges(info, mixPoint, $"forward gives shape [{string.Join(", ", forward.shape)}], the chain [{string.Join(", ", chain.shape)}]");
            var difference = (forward - chain).abs().max().to(ScalarType.Float64).item<double>();
            var scale = Math.Max(1, forward.abs().max().to(ScalarType.Float64).item<double>());
            if (!(difference <= ForwardTolerance * scale))
                throw Diverges(info, mixPoint, Invariant($"on {inputs.shape[0]} samples their outputs differ by up to {difference:G3}"));
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    private static InvalidOperationException Diverges(NfmNetworkInfo info, int mixPoint, string how) => new(
        Invariant($"{info.Name}'s hand-written forward computes a different function from the layer chain that training uses ")
        + Invariant($"(its [Layer] and [Mixable] members in declaration order): forward(x) and ForwardFrom({mixPoint}, ForwardTo({mixPoint}, x)) disagree, {how}. ")
        + "Training would fit one function and evaluation and export would run another: make forward run the same layers, "
        + "or delete it so that the generator writes it");

    private static string NameOf(nn.Module model) => model is INfmNetwork network ? network.Info.Name : model.GetType().Name;
}
