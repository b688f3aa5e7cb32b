using static TorchSharp.torch;

namespace NfmGen.Mixing;

/// <summary>
/// A training-time augmentation that mixes a batch at a mix point, from its own seeded generators. The trainer sees
/// only this: one step's draws and the transform that applies them. A mixer implements <see cref="IBatchMixer{TStep}"/>.
/// </summary>
internal interface IBatchMixer : IDisposable
{
    /// <summary>
    /// Draws the random choices of one step for the batch (<paramref name="inputs"/>, <paramref name="labels"/>), with
    /// the transform that applies them at <see cref="MixingStep.MixPoint"/>. NFM and CutMix read only the batch's
    /// shape; Puzzle Mix runs the network on the batch for its saliency.
    /// </summary>
    (MixingStep Step, IFeatureTransform Transform) Draw(Tensor inputs, Tensor labels);

    /// <summary>The states of the mixer's generators, for an exact resume (CPU byte tensors, owned by the caller).</summary>
    IReadOnlyList<Tensor> GetState();

    /// <summary>Restores states returned by <see cref="GetState"/>.</summary>
    void SetState(IReadOnlyList<Tensor> state);
}

/// <summary>
/// A mixer whose steps are <typeparamref name="TStep"/>: it draws each step's random choices (<see cref="Sample"/>)
/// separately from applying them (<see cref="Transform"/>), so that tests and benchmarks can look at the draws.
/// </summary>
/// <typeparam name="TStep">This mixer's step type, which carries its own draws.</typeparam>
internal interface IBatchMixer<TStep> : IBatchMixer
    where TStep : MixingStep
{
    /// <summary>Draws the random choices of one step for the batch (<paramref name="inputs"/>, <paramref name="labels"/>).</summary>
    TStep Sample(Tensor inputs, Tensor labels);

    /// <summary>The transform that applies <paramref name="step"/> at <see cref="MixingStep.MixPoint"/>.</summary>
    IFeatureTransform Transform(TStep step);

    (MixingStep Step, IFeatureTransform Transform) IBatchMixer.Draw(Tensor inputs, Tensor labels)
    {
        var step = Sample(inputs, labels);
        return (step, Transform(step));
    }
}
