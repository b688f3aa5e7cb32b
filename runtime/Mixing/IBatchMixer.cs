using static TorchSharp.torch;

namespace NfmGen;

/// <summary>
/// A training-time augmentation that mixes a batch at a mix point: it draws each step's random choices
/// (<see cref="Sample"/>) separately from applying them (<see cref="Transform"/>), from its own seeded generators.
/// </summary>
public interface IBatchMixer : IDisposable
{
    /// <summary>Draws the random choices of one step for the batch <paramref name="inputs"/> (only its shape is read).</summary>
    MixingStep Sample(Tensor inputs);

    /// <summary>The transform that applies <paramref name="step"/> at <see cref="MixingStep.MixPoint"/>.</summary>
    IFeatureTransform Transform(MixingStep step);

    /// <summary>The states of the mixer's generators, for an exact resume (CPU byte tensors, owned by the caller).</summary>
    IReadOnlyList<Tensor> GetState();

    /// <summary>Restores states returned by <see cref="GetState"/>.</summary>
    void SetState(IReadOnlyList<Tensor> state);
}
