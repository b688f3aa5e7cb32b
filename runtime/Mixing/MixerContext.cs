using NfmGen.Data;
using static TorchSharp.torch;

namespace NfmGen.Mixing;

/// <summary>
/// What <see cref="MixingMethod.CreateMixer"/> builds a mixer from. NFM and CutMix read only the network's description,
/// the seed and the device; Puzzle Mix also runs the network (<see cref="Network"/>), works in pixel space
/// (<see cref="Normalization"/>) and labels its samples on several threads (<see cref="Parallelism"/>).
/// </summary>
/// <param name="Info">The network's mix points and layers.</param>
/// <param name="Seed">The seed of all of the mixer's randomness.</param>
/// <param name="Device">The device of the batches the mixer will see.</param>
internal sealed record MixerContext(NfmNetworkInfo Info, long Seed, Device Device)
{
    /// <summary>The network being trained, for mixers that run it; null when the caller has none (a mixer that needs it refuses).</summary>
    public INfmNetwork? Network { get; init; }

    /// <summary>How the training images were normalised; null for point data, or when the data is not known.</summary>
    public Normalization? Normalization { get; init; }

    /// <summary>The shape (C, H, W) of one training image; null for point data, or when the data is not known (CutMix and Puzzle Mix then refuse).</summary>
    public IReadOnlyList<long>? ImageShape { get; init; }

    /// <summary>
    /// How many views of each sample a training batch holds, view by view: 1, or AugMix's 3 (clean and two augmented
    /// mixtures; <see cref="Data.Augmentation.AugMixOptions"/>). Only the NFM family mixes several views.
    /// </summary>
    public int Views { get; init; } = 1;

    /// <summary>The training data's name, for messages.</summary>
    public string DataName { get; init; } = "the training data";

    /// <summary>
    /// The most threads the mixer may use for its own CPU work; by default torch's CPU thread count when the context is
    /// made (<c>torch.get_num_threads()</c>), the run's thread budget: a sweep task limited to one thread
    /// (<c>nfm sweep local --threads</c>) labels on one thread too, instead of on every core of the machine.
    /// </summary>
    public int Parallelism { get; init; } = get_num_threads();

    /// <summary>The context of training <paramref name="network"/> on <paramref name="train"/>.</summary>
    internal static MixerContext For(INfmNetwork network, LabeledDataset train, long seed, Device device)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(train);
        return new MixerContext(network.Info, seed, device)
        {
            Network = network,
            Normalization = train.Normalization,
            ImageShape = train.Normalization is null ? null : train.InputShape,
            DataName = train.Name,
        };
    }
}
