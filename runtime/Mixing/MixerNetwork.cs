using TorchSharp;
using static TorchSharp.torch;

namespace NfmGen;

/// <summary>
/// The network being trained, as a mixer that runs it sees it: its layer chain (<see cref="Network"/>) and the module
/// that holds its parameters and its training mode (<see cref="Module"/>), which are one object.
/// </summary>
public sealed class MixerNetwork
{
    /// <summary>Pairs <paramref name="network"/> with <paramref name="module"/>, which must be the same object.</summary>
    /// <exception cref="ArgumentException">They are two objects.</exception>
    public MixerNetwork(INfmNetwork network, nn.Module<Tensor, Tensor> module)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(module);
        if (!ReferenceEquals(network, module))
            throw new ArgumentException($"the module must be the network {network.Info.Name} itself (was a {module.GetType().Name})", nameof(module));
        Network = network;
        Module = module;
    }

    /// <summary>The network's layer chain, through which training runs it.</summary>
    public INfmNetwork Network { get; }

    /// <summary>The same network as a module: its parameters and its training mode.</summary>
    public nn.Module<Tensor, Tensor> Module { get; }

    /// <summary>The pair for a generated network, which is both.</summary>
    public static MixerNetwork Of<TNetwork>(TNetwork network)
        where TNetwork : nn.Module<Tensor, Tensor>, INfmNetwork => new(network, network);
}
