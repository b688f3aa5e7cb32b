using NfmGen.Inference;
using NfmGen.Network;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace NfmGen.Mixing;

/// <summary>
/// The saliency that Puzzle Mix reads: the gradient of the network's loss with respect to its input, with the network
/// in evaluation mode (snu-mllab/PuzzleMix's <c>train</c> with <c>clean_lam</c> 0).
/// </summary>
internal static class InputSaliency
{
    /// <summary>
    /// ∂ mean CE(network(inputs), labels) / ∂ inputs, computed in evaluation mode through the network's layer chain.
    /// Only the input's gradient is computed: the parameters' gradients are left as they were. The network's mode is
    /// restored afterwards, also when the forward pass throws.
    /// </summary>
    /// <param name="network">The network being trained.</param>
    /// <param name="inputs">The batch (floating point); not changed.</param>
    /// <param name="labels">Class indices (int64), one per row.</param>
    /// <returns>The gradient, shaped like <paramref name="inputs"/>, detached.</returns>
    public static Tensor Gradient(INfmNetwork network, Tensor inputs, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(labels);
        using var inference = InferenceScope.WithInputGradients(network.Module);
        return inference.InputGradient(inputs, input => cross_entropy(network.ForwardFrom(0, input), labels));
    }

    /// <summary>Puzzle Mix's per-pixel saliency from an input gradient (N, C, H, W): sqrt(mean over channels of grad²), (N, H, W).</summary>
    public static Tensor PerPixel(Tensor gradient)
    {
        ArgumentNullException.ThrowIfNull(gradient);
        using var scalars = new ScalarScope();
        return gradient.pow(scalars.Of(2)).mean([1]).sqrt_(); // square() is pow(2), with a Scalar made on the fly
    }
}
