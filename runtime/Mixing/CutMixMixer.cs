using NfmGen.Randomness;
using TorchSharp;
using static System.FormattableString;
using static TorchSharp.torch;

namespace NfmGen.Mixing;

/// <summary>A box of an image, in pixels: rows [Top, Bottom) and columns [Left, Right).</summary>
internal readonly record struct CutBox(int Top, int Left, int Bottom, int Right)
{
    /// <summary>The number of pixels in the box.</summary>
    public int Area => (Bottom - Top) * (Right - Left);
}

/// <summary>A CutMix step: the box pasted from each image's partner, and λ corrected to the share of pixels kept.</summary>
internal sealed record CutMixStep(double Lambda, Tensor Permutation, CutBox Box) : MixingStep(0, Lambda, Permutation);

/// <summary>
/// CutMix (Yun et al., 2019): pastes a box of each image's partner into it, on the input only. The box covers about
/// 1 − λ of the image for λ ~ Beta(alpha, alpha); clipped at the border, so λ is corrected to the area actually kept.
/// </summary>
internal sealed class CutMixMixer : IBatchMixer<CutMixStep>
{
    private readonly MixerGenerators generators;
    private readonly double[] lambdaConcentrations;

    /// <summary>Creates a CutMix mixer with λ ~ Beta(<paramref name="alpha"/>, <paramref name="alpha"/>).</summary>
    /// <exception cref="ArgumentException"><paramref name="alpha"/> is not a finite number > 0.</exception>
    public CutMixMixer(double alpha, long seed, Device device)
    {
        if (!double.IsFinite(alpha) || alpha <= 0)
            throw new ArgumentException(Invariant($"CutMix alpha must be a finite number > 0 (was {alpha})"), nameof(alpha));
        ArgumentNullException.ThrowIfNull(device);
        lambdaConcentrations = [alpha, alpha];
        Device = device;
        generators = new MixerGenerators(seed, nameof(CutMixMixer));
    }

    /// <summary>The device of the permutations this mixer makes.</summary>
    public Device Device { get; }

    /// <summary>Draws the random choices of one step for the batch <paramref name="inputs"/> (only its shape is read).</summary>
    /// <exception cref="ArgumentException"><paramref name="inputs"/> is not a batch of images (N, C, H, W).</exception>
    public CutMixStep Sample(Tensor inputs)
    {
        if (inputs.dim() != 4)
            throw new ArgumentException(Invariant($"CutMix needs images shaped (N, C, H, W) (shape was [{string.Join(", ", inputs.shape)}])"), nameof(inputs));
        var (height, width) = ((int)inputs.shape[2], (int)inputs.shape[3]);

        var lambda = BetaDraws.Draw(lambdaConcentrations, generators.Scalar)[0];
        var box = DrawBox(height, width, lambda);
        var kept = 1.0 - (double)box.Area / (height * width);
        var permutation = DeviceRandom.Permutation(inputs.shape[0], Device, generators.Tensors);
        return new CutMixStep(kept, permutation, box);
    }

    CutMixStep IBatchMixer<CutMixStep>.Sample(Tensor inputs, Tensor labels) => Sample(inputs);

    /// <inheritdoc />
    public IFeatureTransform Transform(CutMixStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return new PasteBox(step);
    }

    /// <inheritdoc />
    public IReadOnlyList<Tensor> GetState() => generators.GetState();

    /// <inheritdoc />
    public void SetState(IReadOnlyList<Tensor> state) => generators.SetState(state);

    /// <inheritdoc />
    public void Dispose() => generators.Dispose();

    // The box has sides sqrt(1 − λ) of the image's and a uniformly drawn centre, clipped at the border (the reference rand_bbox).
    private CutBox DrawBox(int height, int width, double lambda)
    {
        var cutRatio = Math.Sqrt(1.0 - lambda);
        var (cutHeight, cutWidth) = ((int)(height * cutRatio), (int)(width * cutRatio));
        using var scope = NewDisposeScope();
        var centre = randint(0, height * width, [1], generator: generators.Scalar).item<long>();
        var (centreRow, centreColumn) = ((int)(centre / width), (int)(centre % width));
        return new CutBox(
            Top: Math.Clamp(centreRow - cutHeight / 2, 0, height),
            Left: Math.Clamp(centreColumn - cutWidth / 2, 0, width),
            Bottom: Math.Clamp(centreRow + cutHeight / 2, 0, height),
            Right: Math.Clamp(centreColumn + cutWidth / 2, 0, width));
    }

    private sealed class PasteBox(CutMixStep step) : IFeatureTransform
    {
        public Tensor Apply(Tensor features)
        {
            var (rows, columns) = (TensorIndex.Slice(step.Box.Top, step.Box.Bottom), TensorIndex.Slice(step.Box.Left, step.Box.Right));
            var mixed = features.clone();
            mixed[TensorIndex.Ellipsis, rows, columns] = features.index_select(0, step.Permutation)[TensorIndex.Ellipsis, rows, columns];
            return mixed;
        }
    }
}
