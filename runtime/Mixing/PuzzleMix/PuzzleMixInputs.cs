using NfmGen.Data;
using static System.FormattableString;
using static TorchSharp.torch;

namespace NfmGen.Mixing.PuzzleMix;

// The checks that every Puzzle Mix entry point makes of a batch, with messages that name the bad shape or value.
internal static class PuzzleMixInputs
{
    internal static void Check(Tensor inputs, Tensor saliency, Tensor permutation, Normalization normalization, int? side = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(saliency);
        ArgumentNullException.ThrowIfNull(permutation);
        if (inputs.dim() != 4 || inputs.shape[2] != inputs.shape[3])
            throw new ArgumentException(
                Invariant($"Puzzle Mix needs square images shaped (N, C, S, S) (inputs were [{Shape(inputs)}])."), nameof(inputs));
        if (inputs.dtype != ScalarType.Float32)
            throw new ArgumentException(Invariant($"Puzzle Mix needs float32 images (inputs were {inputs.dtype})."), nameof(inputs));
        var (samples, channels, imageSide) = (inputs.shape[0], inputs.shape[1], inputs.shape[2]);
        if (side is { } expected && imageSide != expected)
            throw new ArgumentException(Invariant($"The grid is for images of side {expected} (inputs were [{Shape(inputs)}])."), nameof(inputs));
        if (channels != normalization.Channels)
            throw new ArgumentException(
                Invariant($"The normalisation has {normalization.Channels} channels but the inputs {channels} (inputs were [{Shape(inputs)}])."), nameof(inputs));
        if (saliency.dim() != 3 || saliency.shape[0] != samples || saliency.shape[1] != imageSide || saliency.shape[2] != imageSide
            || saliency.dtype != ScalarType.Float32)
            throw new ArgumentException(
                Invariant($"The saliency must be float32 shaped (N, S, S) = [{samples}, {imageSide}, {imageSide}] (was {saliency.dtype} [{Shape(saliency)}])."),
                nameof(saliency));
        if (permutation.dim() != 1 || permutation.shape[0] != samples || permutation.dtype != ScalarType.Int64)
            throw new ArgumentException(
                Invariant($"The permutation must be int64 shaped (N) = [{samples}] (was {permutation.dtype} [{Shape(permutation)}])."), nameof(permutation));
    }

    internal static void CheckLambda(double lambda)
    {
        if (!(lambda >= 0 && lambda <= 1))
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, Invariant($"lambda must be in [0, 1] (was {lambda})."));
    }

    internal static string Shape(Tensor tensor) => string.Join(", ", tensor.shape);
}
