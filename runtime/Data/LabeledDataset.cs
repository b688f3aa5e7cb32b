using static TorchSharp.torch;

namespace NfmGen.Data;

/// <summary>
/// An in-memory classification dataset: inputs and int64 labels in <c>0..ClassCount-1</c>.
/// The dataset owns its tensors: they belong to no dispose scope, and <see cref="Dispose"/> frees them.
/// </summary>
public abstract class LabeledDataset : IDisposable
{
    /// <summary>Checks the labels and takes ownership of them (and of <paramref name="inputs"/>, when the samples are held in memory).</summary>
    /// <exception cref="ArgumentException">The labels are not int64 <c>[N]</c> with N matching the inputs, or one is out of range.</exception>
    private protected LabeledDataset(string name, Tensor? inputs, Tensor labels, int classCount)
    {
        if (classCount < 1)
            throw new ArgumentOutOfRangeException(nameof(classCount), classCount, $"{name}: classCount must be >= 1.");
        if (labels.dtype != ScalarType.Int64 || labels.dim() != 1)
            throw new ArgumentException($"{name}: labels must be int64 [N] (were {labels.dtype} [{string.Join(", ", labels.shape)}]).", nameof(labels));
        if (inputs is not null && (inputs.dim() == 0 || inputs.shape[0] != labels.shape[0]))
            throw new ArgumentException($"{name}: {labels.shape[0]} labels for inputs of shape [{string.Join(", ", inputs.shape)}]; the first dimension must match.", nameof(labels));
        if (labels.numel() > 0)
        {
            using var minTensor = labels.min();
            using var maxTensor = labels.max();
            long min = minTensor.item<long>(), max = maxTensor.item<long>();
            if (min < 0 || max >= classCount)
                throw new ArgumentException($"{name}: labels must be in 0..{classCount - 1} (found {(min < 0 ? min : max)}).", nameof(labels));
        }

        Name = name;
        Labels = labels.DetachFromDisposeScope();
        inputs?.DetachFromDisposeScope();
        ClassCount = classCount;
    }

    /// <summary>The dataset's name, for messages and logs, e.g. <c>cifar10-train</c>.</summary>
    public string Name { get; }

    /// <summary>The labels, int64 <c>[N]</c>.</summary>
    public Tensor Labels { get; }

    /// <summary>The number of classes; every label is below it.</summary>
    public int ClassCount { get; }

    /// <summary>The number of samples N.</summary>
    public long Count => Labels.shape[0];

    /// <summary>Frees the dataset's tensors.</summary>
    public void Dispose()
    {
        Labels.Dispose();
        DisposeInputs();
        GC.SuppressFinalize(this);
    }

    /// <summary>Frees the inputs tensor of the derived type.</summary>
    private protected abstract void DisposeInputs();

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({Count} samples, {ClassCount} classes)";
}
