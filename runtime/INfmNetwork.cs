using TorchSharp;
using static TorchSharp.torch;

namespace NfmGen;

/// <summary>
/// A network split at its mix points, implemented by the source generator for every
/// <see cref="NfmNetworkAttribute"/> class. For every mix point k, <c>ForwardFrom(k, ForwardTo(k, x))</c>
/// computes the same as <c>forward(x)</c>.
/// </summary>
public interface INfmNetwork
{
    /// <summary>The network's mix points and layers.</summary>
    NfmNetworkInfo Info { get; }

    /// <summary>
    /// The module that holds the network's parameters and its training mode, and whose <c>forward</c> evaluation and
    /// export run: for a generated network, the network itself. Training, checkpoints and disposal go through it.
    /// </summary>
    nn.Module<Tensor, Tensor> Module { get; }

    /// <summary>
    /// Runs the layers up to mix point <paramref name="mixPoint"/> and returns the features g_k(x) there, a tensor the
    /// caller owns: at mix point 0 an alias of <paramref name="input"/>, so that disposing it leaves the input usable.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mixPoint"/> is not a mix point of this network.</exception>
    Tensor ForwardTo(int mixPoint, Tensor input);

    /// <summary>Continues the forward pass from the features at mix point <paramref name="mixPoint"/> to the output.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mixPoint"/> is not a mix point of this network.</exception>
    Tensor ForwardFrom(int mixPoint, Tensor features);

    /// <summary>
    /// One forward pass that applies <paramref name="transform"/> to the features at mix point
    /// <paramref name="mixPoint"/>: the hook through which training mixes and perturbs.
    /// </summary>
    Tensor ForwardMixed(int mixPoint, Tensor input, IFeatureTransform transform);
}
