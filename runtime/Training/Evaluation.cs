using NfmGen.Data;
using NfmGen.Inference;
using NfmGen.Network;
using TorchSharp;
using static TorchSharp.torch;

namespace NfmGen.Training;

/// <summary>Clean accuracy and loss of a model on a dataset: eval mode, no gradients, no augmentation.</summary>
public static class Evaluation
{
    /// <summary>
    /// Evaluates <paramref name="model"/> on <paramref name="data"/> in batches of <paramref name="batchSize"/> on
    /// <paramref name="device"/>; the model's training mode is restored afterwards. Image batches are laid out
    /// channels-last (<see cref="ChannelsLast"/>) when <paramref name="channelsLast"/> says so, by default where the device gains from it.
    /// With <paramref name="checkNetwork"/>, an <see cref="INfmNetwork"/> is checked first (<see cref="NetworkChecks"/>): it must have
    /// parameters, and its <c>forward</c> must compute what the layer chain that trained it computes.
    /// </summary>
    /// <exception cref="InvalidOperationException">The network failed a check; the message names it and the cause.</exception>
    public static (double Loss, double Accuracy) Evaluate(
        nn.Module<Tensor, Tensor> model, LabeledDataset data, int batchSize, Device device, bool? channelsLast = null, bool checkNetwork = true)
    {
        var layout = channelsLast ?? ChannelsLast.IsDefaultFor(device);
        if (checkNetwork && model is INfmNetwork)
            NetworkChecks.RequireParameters(model); // any module can be evaluated (an imported or hand-written one)
        if (checkNetwork)
            NetworkChecks.RequireFits(model, data, device, layout);
        using var inference = InferenceScope.NoGrad(model);
        using var loader = new BatchLoader(data, batchSize, device: device);
        // Fewer samples than data.Count when an image folder skips bad files.
        var totals = EvaluationLoop.Run(model, EvaluationLoop.Batches(loader), device, (inputs, _) => layout ? ChannelsLast.Apply(inputs) : inputs.alias(), sumLoss: true);
        return (totals.Loss, totals.Accuracy);
    }
}
