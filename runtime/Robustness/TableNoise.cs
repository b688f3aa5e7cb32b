using NfmGen.Data.Tables;
using NfmGen.Network;
using NfmGen.Randomness;
using static TorchSharp.torch;

namespace NfmGen.Robustness;

/// <summary>
/// The perturbations of encoded table rows (<see cref="CsvDataset"/>), drawn from an explicit generator: Gaussian noise
/// on the standardised numeric inputs (one-hot inputs are left as they are: noise would make them no category at all),
/// and feature drop, which fills a column as training filled a missing value.
/// </summary>
internal sealed class TableNoise : IDisposable
{
    private readonly Tensor numeric;
    private readonly Tensor columnOfInput;
    private readonly Tensor fill;
    private readonly int columns;

    /// <summary>The perturbations of rows encoded by <paramref name="schema"/>, on <paramref name="device"/>.</summary>
    public TableNoise(TableSchema schema, Device device)
    {
        ArgumentNullException.ThrowIfNull(schema);
        numeric = tensor(schema.NumericMask(), device: device).DetachFromDisposeScope();
        columnOfInput = tensor(schema.ColumnOfEachInput(), device: device).DetachFromDisposeScope();
        fill = tensor(schema.FillRow(), device: device).DetachFromDisposeScope();
        columns = schema.Columns.Count;
    }

    /// <summary><c>x + σ·n·numeric</c>, n ~ N(0, 1) per input: σ in standard deviations of the training split.</summary>
    public Tensor AddNoise(Tensor inputs, double sigma, Generator generator)
    {
        using var scope = NewDisposeScope();
        using var scalars = new ScalarScope();
        return DeviceRandom.Randn(inputs.shape, inputs.dtype, inputs.device, generator).mul_(numeric).mul_(scalars.Of(sigma)).add_(inputs, scalars.Of(1)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Each column of each row (a one-hot column as a whole) replaced by its fill with probability <paramref name="fraction"/>,
    /// one uniform draw per (row, column).
    /// </summary>
    public Tensor Drop(Tensor inputs, double fraction, Generator generator)
    {
        using var scope = NewDisposeScope();
        using var scalars = new ScalarScope();
        var dropped = DeviceRandom.Rand([inputs.shape[0], columns], inputs.dtype, inputs.device, generator).lt(scalars.Of(fraction)).index_select(1, columnOfInput);
        return where(dropped, fill.expand_as(inputs), inputs).MoveToOuterDisposeScope();
    }

    /// <summary>Frees the masks.</summary>
    public void Dispose()
    {
        numeric.Dispose();
        columnOfInput.Dispose();
        fill.Dispose();
    }
}
