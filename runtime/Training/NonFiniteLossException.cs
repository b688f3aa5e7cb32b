using static System.FormattableString;

namespace NfmGen.Training;

/// <summary>
/// Training produced a loss that is NaN or infinite; the last checkpoint in the run folder is the last good state (a run
/// that fails before its first checkpoint is removed: there is nothing to resume).
/// </summary>
public sealed class NonFiniteLossException : Exception
{
    /// <summary>Creates the exception for the step that produced <paramref name="loss"/>.</summary>
    public NonFiniteLossException(int epoch, long step, double loss, double? lastFiniteLoss)
        : base(Invariant($"the loss became {loss} at step {step} of epoch {epoch} (last finite loss: {(lastFiniteLoss is { } last ? last.ToString("G6", System.Globalization.CultureInfo.InvariantCulture) : "none")}); lower the learning rate or check the data. The run folder keeps the last good checkpoint, if one was written."))
    {
        Epoch = epoch;
        Step = step;
        Loss = loss;
        LastFiniteLoss = lastFiniteLoss;
    }

    /// <summary>The epoch of the failing step, from 1.</summary>
    public int Epoch { get; }

    /// <summary>The failing step, counted over the whole run from 1.</summary>
    public long Step { get; }

    /// <summary>The non-finite loss.</summary>
    public double Loss { get; }

    /// <summary>The loss of the step before, if any.</summary>
    public double? LastFiniteLoss { get; }
}
