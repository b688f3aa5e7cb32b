using NfmGen.Data;
using NfmGen.Mixing.PuzzleMix;
using NfmGen.Network;
using NfmGen.Randomness;
using TorchSharp;
using static System.FormattableString;
using static TorchSharp.torch;

namespace NfmGen.Mixing;

/// <summary>
/// Puzzle Mix (Kim, Choo and Song, ICML 2020) as snu-mllab/PuzzleMix's <c>main.py</c> trains with <c>--graph True</c>
/// and <c>clean_lam</c> 0: per step, the grid side (uniformly among <see cref="PuzzleMixImages.BlockCounts"/>), λ ~
/// Beta(α, α) and the partners are drawn; the saliency is the input gradient of the network's loss in evaluation mode
/// (<see cref="InputSaliency"/>); with probability <see cref="PuzzleMixOptions.AdversarialProbability"/> each side is
/// perturbed by one signed-gradient step from a random start; then <see cref="PuzzleMixImages.Mix"/> mixes the batch.
/// </summary>
/// <remarks>
/// All randomness comes from two owned, seeded generators, as in <see cref="CutMixMixer"/>: one for the scalar draws
/// (grid, λ, the adversarial flags and coefficient), one for the permutation and the random start.
/// </remarks>
internal sealed class PuzzleMixMixer : IBatchMixer<PuzzleMixStep>
{
    private readonly MixerGenerators generators;
    private readonly double[] lambdaConcentrations;
    private readonly INfmNetwork network;

    /// <summary>Creates a Puzzle Mix mixer for <paramref name="network"/> trained on images normalised by <paramref name="normalization"/>.</summary>
    /// <param name="options">The settings; validated here.</param>
    /// <param name="network">The network being trained, run for the saliency.</param>
    /// <param name="normalization">The images' normalisation: the mix's smoothness terms and the adversarial clamp are in pixel space.</param>
    /// <param name="seed">The seed of all of this mixer's randomness.</param>
    /// <param name="device">The device of the batches.</param>
    /// <param name="parallelism">The most threads the per-sample labelling may use; at least 1.</param>
    /// <exception cref="ArgumentException">An option is out of range, or <paramref name="parallelism"/> is below 1.</exception>
    public PuzzleMixMixer(PuzzleMixOptions options, INfmNetwork network, Normalization normalization, long seed, Device device, int parallelism)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(normalization);
        ArgumentNullException.ThrowIfNull(device);
        options.Validate();
        if (parallelism < 1)
            throw new ArgumentException(Invariant($"Puzzle Mix's parallelism must be at least 1 thread (was {parallelism})"), nameof(parallelism));
        Options = options;
        this.network = network;
        Normalization = normalization;
        Device = device;
        Parallelism = parallelism;
        lambdaConcentrations = [options.Alpha, options.Alpha];
        generators = new MixerGenerators(seed, nameof(PuzzleMixMixer));
    }

    /// <summary>The settings this mixer was built with.</summary>
    public PuzzleMixOptions Options { get; }

    /// <summary>The images' normalisation.</summary>
    public Normalization Normalization { get; }

    /// <summary>The device of the batches and permutations.</summary>
    public Device Device { get; }

    /// <summary>The most threads the per-sample labelling uses.</summary>
    public int Parallelism { get; }

    /// <summary>
    /// Draws one step for the batch and mixes it: runs the network forward and backward once for the saliency (the
    /// adversarial step reuses that gradient), then labels and mixes each sample.
    /// </summary>
    /// <param name="inputs">Normalised square images (N, C, S, S) with the normalisation's channels; not changed.</param>
    /// <param name="labels">Their classes (int64, N).</param>
    /// <exception cref="ArgumentException">The batch is not square images of the normalisation's channels, or the labels do not match it.</exception>
    public PuzzleMixStep Sample(Tensor inputs, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(labels);
        ObjectDisposedException.ThrowIf(generators.IsDisposed, this);
        var side = CheckBatch(inputs, labels);

        var blockCounts = PuzzleMixImages.BlockCounts(side);
        int blockCount;
        double lambda;
        bool perturbOwn = false, perturbPartner = false;
        using (NewDisposeScope())
        {
            blockCount = blockCounts[(int)randint(0L, blockCounts.Count, new long[] { 1 }, generator: generators.Scalar).item<long>()];
            lambda = BetaDraws.Draw(lambdaConcentrations, generators.Scalar)[0];
            if (Options.AdversarialProbability > 0)
            {
                var flags = rand(2, ScalarType.Float64, generator: generators.Scalar).data<double>().ToArray();
                (perturbOwn, perturbPartner) = (flags[0] < Options.AdversarialProbability, flags[1] < Options.AdversarialProbability);
            }
        }
        var permutation = DeviceRandom.Permutation(inputs.shape[0], Device, generators.Tensors);

        var (saliency, noise) = perturbOwn || perturbPartner ? AdversarialSaliency(inputs, labels) : (Saliency(inputs, labels), null);
        var (mixed, shares) = PuzzleMixImages.Mix(
            inputs, saliency, permutation, blockCount, lambda, Options, Normalization, Parallelism, noise, perturbOwn, perturbPartner);
        if (ChannelsLast.IsChannelsLast(inputs))
            mixed = ChannelsLast.Apply(mixed);
        return new PuzzleMixStep(lambda, permutation, blockCount, shares, mixed, perturbOwn, perturbPartner);
    }

    /// <inheritdoc />
    public IFeatureTransform Transform(PuzzleMixStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return new UseMixedBatch(step);
    }

    /// <inheritdoc />
    public IReadOnlyList<Tensor> GetState() => generators.GetState();

    /// <inheritdoc />
    public void SetState(IReadOnlyList<Tensor> state) => generators.SetState(state);

    /// <summary>Releases the generators.</summary>
    public void Dispose() => generators.Dispose();

    private Tensor Saliency(Tensor inputs, Tensor labels) => InputSaliency.PerPixel(InputSaliency.Gradient(network, inputs, labels));

    // The reference's adversarial step: a random start in the ε-ball (kept inside [0, 1] pixels), the saliency at that
    // noisy input, one signed-gradient step of (ε + 2)/255 projected back to the ball, scaled by a U(0, 1) coefficient.
    private (Tensor Saliency, Tensor Noise) AdversarialSaliency(Tensor inputs, Tensor labels)
    {
        using var scalars = new ScalarScope();
        var epsilon = Options.AdversarialEpsilon / 255;
        var pixels = Normalization.ToPixels(inputs);
        var start = DeviceRandom.Uniform(pixels, -epsilon, epsilon, generators.Tensors).add_(pixels, scalars.Of(1)).clamp_(scalars.Of(0), scalars.Of(1)).sub_(pixels);
        var gradient = InputSaliency.Gradient(network, Normalization.Normalize(pixels.add(start, scalars.Of(1))), labels);
        var coefficient = rand(1, ScalarType.Float64, generator: generators.Scalar).item<double>();
        var noise = start.add_(gradient.sign(), alpha: scalars.Of((Options.AdversarialEpsilon + 2) / 255))
            .clamp_(scalars.Of(-epsilon), scalars.Of(epsilon)).mul_(scalars.Of(coefficient));
        return (InputSaliency.PerPixel(gradient), noise);
    }

    private int CheckBatch(Tensor inputs, Tensor labels)
    {
        if (inputs.dim() != 4 || inputs.shape[1] != Normalization.Channels || inputs.shape[2] != inputs.shape[3])
            throw new ArgumentException(
                Invariant($"Puzzle Mix needs square images shaped (N, {Normalization.Channels}, S, S) (shape was [{string.Join(", ", inputs.shape)}])"), nameof(inputs));
        if (!inputs.is_floating_point())
            throw new ArgumentException(Invariant($"Puzzle Mix needs normalised floating-point images (were {inputs.dtype})"), nameof(inputs));
        if (labels.dim() != 1 || labels.shape[0] != inputs.shape[0])
            throw new ArgumentException(
                Invariant($"Puzzle Mix needs one label per image, {inputs.shape[0]} (labels' shape was [{string.Join(", ", labels.shape)}])"), nameof(labels));
        return (int)inputs.shape[2];
    }

    // The step carries the mixed batch: at mix point 0, the network trains on it instead of the batch.
    private sealed class UseMixedBatch(PuzzleMixStep step) : IFeatureTransform
    {
        public Tensor Apply(Tensor features)
        {
            if (!features.shape.SequenceEqual(step.Mixed.shape))
                throw new ArgumentException(
                    Invariant($"a Puzzle Mix step replaces a batch shaped [{string.Join(", ", step.Mixed.shape)}] at the input (features were [{string.Join(", ", features.shape)}])"), nameof(features));
            return step.Mixed.alias();
        }
    }
}
