namespace NfmGen.Robustness;

/// <summary>
/// Where a robustness evaluation stands, reported after every batch (and at the start of every stage), so that a
/// caller can draw a progress bar with an ETA. Reported synchronously on the evaluating thread.
/// </summary>
/// <param name="Stage">What is being evaluated: "clean", "white 0.1", "sp-ref 0.02", "pgd 8/255", "fog s3" ...</param>
/// <param name="StageIndex">The stage's position, from 0.</param>
/// <param name="StageCount">The number of stages.</param>
/// <param name="Fraction">The fraction of the work done, in [0, 1]; work is weighted by its approximate cost (a PGD
/// batch of 10 steps counts about 31 plain forward passes), so the fraction tracks time.</param>
/// <param name="Elapsed">The time since the evaluation started.</param>
public readonly record struct EvaluationProgress(string Stage, int StageIndex, int StageCount, double Fraction, TimeSpan Elapsed)
{
    /// <summary>The estimated time left, extrapolated from <see cref="Elapsed"/> and <see cref="Fraction"/>; null before any work is done.</summary>
    public TimeSpan? Remaining => Fraction > 0 ? TimeSpan.FromTicks((long)(Elapsed.Ticks * (1 - Fraction) / Fraction)) : null;
}
