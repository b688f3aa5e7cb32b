using NfmGen.Network;
using NfmGen.Randomness;
using TorchSharp;
using static System.FormattableString;
using static TorchSharp.torch;

namespace NfmGen.Mixing;

/// <summary>
/// Noisy Feature Mixup for one network: draws each step's random choices (<see cref="Sample"/>) and applies them to
/// the features at the chosen mix point (<see cref="Apply"/>): h̃ = λh + (1 − λ)h[perm], then
/// (1 + s_mult·ξ_mult)·h̃ + s_add·ξ_add with ξ_mult ~ U(−1, 1) and ξ_add ~ N(0, 1) per element, each entry of either
/// noise dropped (ξ_add to 0, the factor to 1) with probability <see cref="NfmOptions.Sparsity"/>.
/// </summary>
/// <remarks>
/// All randomness comes from two owned, seeded generators: one for the scalar draws (k, λ, noise scales), one for the
/// permutation and the noise tensors (drawn on the CPU and moved to <see cref="Device"/>: see <see cref="DeviceRandom"/>).
/// The same seed gives the same steps on every device for features of the same layout (noise is drawn in memory
/// order, so channels-last features get the same values in other places).
/// <code>
/// using var scope = torch.NewDisposeScope();
/// var step = mixer.Sample((int)y.shape[0]);          // the samples: with AugMix's views, x holds 3 rows per label
/// var logits = network.ForwardMixed(step.MixPoint, x, mixer.Transform(step));
/// var loss = MixedLoss.Of(logits, y, step, scheme);
/// </code>
/// </remarks>
internal sealed class NoisyFeatureMixer : IBatchMixer<NfmStep>
{
    // Beta(2, 5) scales each noise level per batch under NoiseScaleRule.Reference, as erichson/NFM's _noise.
    private static readonly double[] NoiseScaleConcentrations = [2, 5];

    private readonly MixerGenerators generators;
    private readonly bool drawsLambda;
    private readonly bool drawsAdditiveScale;
    private readonly bool drawsMultiplicativeScale;

    // The (concentration1, concentration0) pairs of the Beta draws of a step, in the order drawn: λ, then each view's
    // additive and multiplicative scales.
    private readonly double[] betaConcentrations;

    /// <summary>Creates a mixer for <paramref name="network"/>, seeded with <paramref name="seed"/>.</summary>
    /// <param name="options">The NFM settings; validated here.</param>
    /// <param name="network">The network whose mix points <see cref="NfmOptions.MixPoints"/> selects from.</param>
    /// <param name="seed">The seed of all of this mixer's randomness.</param>
    /// <param name="device">The device of the features that <see cref="Apply"/> will see.</param>
    /// <param name="views">
    /// How many views of each sample a batch holds, view by view (AugMix's 3: see <see cref="NfmStep"/>); each view
    /// draws its own noise scales, and view v's additive level is (v + 1) times <see cref="NfmOptions.AdditiveNoise"/>,
    /// as NoisyMix's <c>do_noisy_mixup</c> scales it.
    /// </param>
    /// <exception cref="ArgumentException">An option is out of range, or the mix points do not fit the network.</exception>
    public NoisyFeatureMixer(NfmOptions options, NfmNetworkInfo network, long seed, Device device, int views = 1)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(device);
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(views, 1);
        Options = options;
        Views = views;
        MixPoints = options.MixPoints.Resolve(network);
        Device = device;
        drawsLambda = options.Alpha > 0;
        drawsAdditiveScale = options.NoiseScale == NoiseScaleRule.Reference && options.AdditiveNoise > 0;
        drawsMultiplicativeScale = options.NoiseScale == NoiseScaleRule.Reference && options.MultiplicativeNoise > 0;
        double[] lambdaConcentrations = [options.Alpha, options.Beta ?? options.Alpha];
        double[] viewConcentrations =
        [
            .. drawsAdditiveScale ? NoiseScaleConcentrations : [],
            .. drawsMultiplicativeScale ? NoiseScaleConcentrations : [],
        ];
        betaConcentrations = [.. drawsLambda ? lambdaConcentrations : [], .. Enumerable.Repeat(viewConcentrations, views).SelectMany(pair => pair)];
        generators = new MixerGenerators(seed, nameof(NoisyFeatureMixer));
    }

    /// <summary>The settings this mixer was built with.</summary>
    public NfmOptions Options { get; }

    /// <summary>The mix points that <see cref="Sample"/> chooses from, uniformly.</summary>
    public IReadOnlyList<int> MixPoints { get; }

    /// <summary>The device of the permutations and noise this mixer makes.</summary>
    public Device Device { get; }

    /// <summary>How many views of each sample a batch holds (1, or AugMix's 3).</summary>
    public int Views { get; }

    /// <summary>
    /// Draws the random choices of one step for a batch of <paramref name="batchSize"/> samples (each in
    /// <see cref="Views"/> views): the mix point, λ, the permutation (identity when mixing is off) and each view's noise scales.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is less than 1.</exception>
    public NfmStep Sample(int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ObjectDisposedException.ThrowIf(generators.IsDisposed, this);

        int mixPoint;
        double[] betas;
        // The scalar draws are tiny CPU tensors; free them here rather than in the caller's step scope.
        using (NewDisposeScope())
        {
            mixPoint = DrawMixPoint();
            betas = DrawBetas();
        }
        var next = 0;
        var lambda = drawsLambda ? betas[next++] : 1.0;
        var scales = new (double Additive, double Multiplicative)[Views];
        for (var view = 0; view < Views; view++)
        {
            var additiveScale = (view + 1) * Options.AdditiveNoise * (drawsAdditiveScale ? betas[next++] : 1.0);
            var multiplicativeScale = Options.MultiplicativeNoise * (drawsMultiplicativeScale ? betas[next++] : 1.0);
            scales[view] = (additiveScale, multiplicativeScale);
        }
        using var scalars = new ScalarScope();
        var permutation = drawsLambda
            ? DeviceRandom.Permutation(batchSize, Device, generators.Tensors)
            : arange(scalars.Of(0), scalars.Of(batchSize), scalars.Of(1), dtype: ScalarType.Int64, device: Device);
        return new NfmStep(mixPoint, lambda, permutation, scales[0].Additive, scales[0].Multiplicative) { LaterViews = scales[1..] };
    }

    /// <summary>
    /// Mixes the batch <paramref name="features"/> with its permutation and perturbs it with noise, as drawn in
    /// <paramref name="step"/>. The result is on the features' device and of their dtype, and gradients flow
    /// through it to <paramref name="features"/>. The caller owns the result: when the step changes nothing it is an alias
    /// of <paramref name="features"/> (a new handle on the same memory), so that disposing it leaves the features usable.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The features are not on this mixer's device type, are not floating point when they must be changed, or do not
    /// match the batch size of the step.
    /// </exception>
    public Tensor Apply(Tensor features, NfmStep step)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(step);
        ObjectDisposedException.ThrowIf(generators.IsDisposed, this);

        var mixes = step.Lambda != 1.0;
        var perturbs = Enumerable.Range(0, step.Views).Any(view => step.ScalesOf(view) != (0.0, 0.0));
        if (!mixes && !perturbs)
            return features.alias();
        CheckFeatures(features, step, mixes);

        var mixed = mixes ? Mix(features, step) : features;
        if (!perturbs)
            return mixed;
        if (step.Views == 1)
            return Perturb(mixed, step.AdditiveScale, step.MultiplicativeScale);
        // View by view, each drawing its noise in turn, as NoisyMix perturbs its three slices.
        var rows = features.shape[0] / step.Views;
        return cat([.. Enumerable.Range(0, step.Views).Select(view =>
        {
            var (additive, multiplicative) = step.ScalesOf(view);
            return Perturb(mixed.narrow(0, view * rows, rows), additive, multiplicative);
        })], 0);
    }

    /// <summary>The transform that <see cref="INfmNetwork.ForwardMixed"/> applies at <see cref="MixingStep.MixPoint"/>: <see cref="Apply"/> with <paramref name="step"/>.</summary>
    public IFeatureTransform Transform(NfmStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return new StepTransform(this, step);
    }

    NfmStep IBatchMixer<NfmStep>.Sample(Tensor inputs, Tensor labels) => Sample((int)labels.shape[0]);

    /// <summary>The states of both generators (scalar draws, then tensors), for an exact resume with <see cref="SetState"/>. Byte tensors on the CPU.</summary>
    public IReadOnlyList<Tensor> GetState() => generators.GetState();

    /// <summary>Restores generator states saved by <see cref="GetState"/>: the following steps repeat those that followed the save.</summary>
    /// <exception cref="ArgumentException"><paramref name="state"/> does not hold the two generator states.</exception>
    public void SetState(IReadOnlyList<Tensor> state) => generators.SetState(state);

    /// <summary>Releases the generators.</summary>
    public void Dispose() => generators.Dispose();

    private int DrawMixPoint() => MixPoints.Count == 1
        ? MixPoints[0]
        : MixPoints[(int)randint(0L, MixPoints.Count, new long[] { 1 }, generator: generators.Scalar).item<long>()];

    private double[] DrawBetas() => BetaDraws.Draw(betaConcentrations, generators.Scalar);

    private void CheckFeatures(Tensor features, NfmStep step, bool mixes)
    {
        if (features.device_type != Device.type)
            throw new ArgumentException(Invariant($"features are on {features.device} but this mixer draws its noise on {Device}; build the mixer for the features' device"), nameof(features));
        if (!features.is_floating_point())
            throw new ArgumentException(Invariant($"features must be floating point to be mixed or perturbed (was {features.dtype})"), nameof(features));
        var rows = step.Permutation.shape[0] * step.Views;
        if ((mixes || step.Views > 1) && (features.dim() == 0 || features.shape[0] != rows))
        {
            var expected = step.Views == 1 ? Invariant($"batch size {rows}") : Invariant($"{step.Views} views of {step.Permutation.shape[0]} samples, {rows} rows,");
            throw new ArgumentException(Invariant($"features must have the step's {expected} as their first dimension (shape was [{string.Join(", ", features.shape)}])"), nameof(features));
        }
    }

    // The gathered copy is fresh, so scaling it in place saves a tensor and leaves autograd intact. Done in memory
    // order, so that channels-last features take the dense kernels and stay channels-last.
    // With several views, each view's rows are permuted among themselves.
    private static Tensor Mix(Tensor features, NfmStep step)
    {
        using var scalars = new ScalarScope();
        return ChannelsLast.InMemoryOrder(features, dense =>
            dense.index_select(0, step.Views == 1 ? step.Permutation : ViewPermutation(step)).mul_(scalars.Of(1.0 - step.Lambda)).add_(dense, alpha: scalars.Of(step.Lambda)));
    }

    // The permutation of all views' rows: view v's row i is mixed with view v's row Permutation[i].
    private static Tensor ViewPermutation(NfmStep step)
    {
        var samples = step.Permutation.shape[0];
        using var scalars = new ScalarScope();
        return cat([.. Enumerable.Range(0, step.Views).Select(view => step.Permutation.add(scalars.Of(view * samples), scalars.Of(1)))], 0);
    }

    private Tensor Perturb(Tensor mixed, double additiveScale, double multiplicativeScale)
    {
        if (additiveScale == 0.0)
            return mixed * MultiplicativeFactor(mixed, multiplicativeScale);

        // The fresh noise tensor takes the result in place; its own values are not needed by backward.
        var noise = Sparsify(DeviceRandom.Normal(mixed, 0.0, additiveScale, generators.Tensors), 0.0);
        using var scalars = new ScalarScope();
        if (multiplicativeScale == 0.0)
            return noise.add_(mixed, scalars.Of(1));
        return noise.addcmul_(mixed, MultiplicativeFactor(mixed, multiplicativeScale), scalars.Of(1));
    }

    // 1 + s·U(−1, 1), drawn as U(1 − s, 1 + s) in one op.
    private Tensor MultiplicativeFactor(Tensor like, double scale) =>
        Sparsify(DeviceRandom.Uniform(like, 1.0 - scale, 1.0 + scale, generators.Tensors), 1.0);

    // NoisyMix's sparse noise: each entry set to its neutral value where a uniform draw falls below the sparsity.
    private Tensor Sparsify(Tensor noise, double neutral)
    {
        if (Options.Sparsity == 0)
            return noise;
        using var scalars = new ScalarScope();
        using var dropped = DeviceRandom.Uniform(noise, 0.0, 1.0, generators.Tensors).lt_(scalars.Of(Options.Sparsity));
        return noise.masked_fill_(dropped.to_type(ScalarType.Bool), scalars.Of(neutral));
    }

    private sealed class StepTransform(NoisyFeatureMixer mixer, NfmStep step) : IFeatureTransform
    {
        public Tensor Apply(Tensor features) => mixer.Apply(features, step);
    }
}
