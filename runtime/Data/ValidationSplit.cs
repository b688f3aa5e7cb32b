using NfmGen.Randomness;
using static System.FormattableString;
using static TorchSharp.torch;

namespace NfmGen.Data;

/// <summary>
/// A seeded, class-stratified hold-out of training data: from each class, round(fraction x its samples) drawn at random
/// (at most all but one) for validation, the rest for training, both in the data's own order. The same data, fraction
/// and seed give the same split anywhere, so a resumed run rebuilds it exactly.
/// </summary>
internal static class ValidationSplit
{
    /// <summary>
    /// The training and validation parts of <paramref name="data"/> and what a run records of them (<see cref="Record"/>);
    /// the caller disposes both parts (not <paramref name="data"/>, which they read).
    /// </summary>
    /// <exception cref="ArgumentException">The fraction holds no sample of any class, or <paramref name="fraction"/> is not in (0, 1).</exception>
    public static (LabeledDataset Train, LabeledDataset Validation, Training.ValidationRecord Record) Draw(LabeledDataset data, double fraction, long seed)
    {
        var labels = Labels(data);
        var held = HeldOut(labels, fraction, seed, data);
        var record = RecordOf(data, labels, held);
        var validation = Enumerable.Range(0, held.Length).Where(i => held[i]).Select(i => (long)i).ToArray();
        var training = Enumerable.Range(0, held.Length).Where(i => !held[i]).Select(i => (long)i).ToArray();
        var trainPart = new DatasetSubset(data.Name, data, tensor(training));
        try
        {
            return (trainPart, new DatasetSubset(Invariant($"{data.Name} (validation {fraction:0.###})"), data, tensor(validation)), record);
        }
        catch
        {
            trainPart.Dispose();
            throw;
        }
    }

    /// <summary>
    /// What a run records of the split of <paramref name="data"/>: its name (for messages), sizes, and a fingerprint of
    /// its labels, from which the split is drawn: the same fingerprint, fraction and seed give the same split.
    /// </summary>
    public static Training.ValidationRecord Record(LabeledDataset data, double fraction, long seed)
    {
        var labels = Labels(data);
        return RecordOf(data, labels, HeldOut(labels, fraction, seed, data));
    }

    private static Training.ValidationRecord RecordOf(LabeledDataset data, long[] labels, bool[] held)
    {
        var bytes = new byte[labels.Length * sizeof(long)];
        Buffer.BlockCopy(labels, 0, bytes, 0, bytes.Length);
        var fingerprint = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes))[..16];
        return new Training.ValidationRecord(data.Name, labels.Length, held.Count(isHeld => isHeld), fingerprint);
    }

    private static long[] Labels(LabeledDataset data)
    {
        using var scope = NewDisposeScope();
        return data.Labels.cpu().data<long>().ToArray();
    }

    private static bool[] HeldOut(long[] labels, double fraction, long seed, LabeledDataset data)
    {
        if (!(fraction > 0 && fraction < 1))
            throw new ArgumentException(Invariant($"the validation fraction must be in (0, 1) (was {fraction})"), nameof(fraction));
        var held = StratifiedHoldOut.Draw(labels, fraction, Seeds.Derive(seed, Seeds.ValidationStream));
        if (!held.Contains(true))
            throw new ArgumentException(Invariant($"a validation fraction of {fraction} holds out no sample of {data.Name} ({labels.Length} samples, {data.ClassCount} classes): raise it"), nameof(fraction));
        return held;
    }
}
