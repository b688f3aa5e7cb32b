using NfmGen.Data.Augmentation;
using static TorchSharp.torch;

namespace NfmGen.Data;

/// <summary>What a loader asks of <see cref="LabeledDataset.Gather"/> for one batch.</summary>
/// <param name="Device">Where the inputs are delivered.</param>
/// <param name="Augment">Whether to augment at random (training); a dataset without <see cref="LabeledDataset.SupportsAugmentation"/> never is.</param>
/// <param name="Seed">The loader's seed: with <paramref name="Epoch"/> and a sample's index, what its random augmentation draws from.</param>
/// <param name="Epoch">The epoch of the batch.</param>
/// <param name="Pixels">For images: uint8 pixels as decoded, not normalised (for evaluations that perturb pixels first).</param>
public sealed record GatherRequest(Device Device, bool Augment, long Seed, int Epoch, bool Pixels)
{
    /// <summary>
    /// AugMix's settings when the batch is to come as its three views (<see cref="AugMixViews"/>: <c>[3n, C, H, W]</c>,
    /// view by view, after the crop and flip), or null for one view. Only for images, in training.
    /// </summary>
    internal AugMixOptions? AugMix { get; init; }

    /// <summary>The crop offsets and flips the epoch plan drew for the batch's positions (in-memory images), or null.</summary>
    internal (Tensor Offsets, Tensor Flips)? Crops { get; init; }
}
