using NfmGen.Network;
using static TorchSharp.torch;

namespace NfmGen.Data;

/// <summary>
/// Checks class labels against the classes of the network they are scored or trained against: a label outside them can
/// never be predicted, so it would only ever count as wrong, and a whole set of them gives 0% without a word.
/// </summary>
internal static class ClassLabels
{
    /// <summary>Throws unless every label in <paramref name="labels"/> is in <c>0..classCount-1</c>.</summary>
    /// <param name="labels">Integer labels of any shape and device.</param>
    /// <param name="classCount">The network's number of classes (its number of outputs).</param>
    /// <param name="source">Where the labels come from, a file or a dataset's name, for the message.</param>
    /// <exception cref="InvalidDataException">A label is out of range; the message names <paramref name="source"/>, the first
    /// bad value (the lowest if any is negative, else the highest), how many labels are out of range, and the accepted range.</exception>
    public static void EnsureBelow(Tensor labels, int classCount, string source)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        if (labels.numel() == 0)
            return;
        using var scope = NewDisposeScope();
        long min = labels.min().item<long>(), max = labels.max().item<long>();
        if (min >= 0 && max < classCount)
            return;
        using var scalars = new ScalarScope();
        long outside = labels.lt(scalars.Of(0)).logical_or(labels.ge(scalars.Of(classCount))).sum().item<long>();
        throw new InvalidDataException(
            $"{source}: label {(min < 0 ? min : max)} is not a class of the network, which has {classCount} "
            + $"(accepted: 0..{classCount - 1}); {outside} of {labels.numel()} labels are outside that range");
    }
}
