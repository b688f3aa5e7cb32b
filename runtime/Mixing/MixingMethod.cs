using System.Text.Json.Serialization;
using static TorchSharp.torch;

namespace NfmGen.Mixing;

/// <summary>
/// How a training scheme mixes its batches: one of a closed set, <see cref="NfmMethod"/> (the NFM family: ERM, noise,
/// mixup, manifold mixup, noisy mixup, NFM), <see cref="CutMixMethod"/> or <see cref="PuzzleMixMethod"/>. Each method
/// checks its own settings and makes its own mixer, whose steps are its own step type.
/// </summary>
/// <remarks>In run.json it is an object whose <c>kind</c> names the method, next to the method's own settings.</remarks>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(NfmMethod), "nfm")]
[JsonDerivedType(typeof(CutMixMethod), "cutmix")]
[JsonDerivedType(typeof(PuzzleMixMethod), "puzzlemix")]
public abstract record MixingMethod
{
    // Only this assembly adds methods: the set is closed, so a switch over it can be complete.
    private protected MixingMethod()
    {
    }

    /// <summary>Throws unless the settings are in range, and, when <paramref name="network"/> is given, fit it.</summary>
    /// <exception cref="ArgumentException">A setting is out of range or does not fit the network; the message names it.</exception>
    public abstract void Validate(NfmNetworkInfo? network = null);

    /// <summary>The mixer that trains <see cref="MixerContext.Info"/>'s network with this method, seeded with <see cref="MixerContext.Seed"/>.</summary>
    /// <exception cref="ArgumentException">The method needs something <paramref name="context"/> lacks (Puzzle Mix: the network, image data); the message says what.</exception>
    internal abstract IBatchMixer CreateMixer(MixerContext context);
}
