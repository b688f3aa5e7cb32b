using System.Globalization;
using System.Text;
using nietras.SeparatedValues;
using NfmGen.Data.Tables;
using NfmGen.Inference;
using static TorchSharp.torch;

namespace NfmGen.Prediction;

/// <summary>
/// A trained network's classes for the rows of a CSV file, encoded with the run's <see cref="TableSchema"/>: each row
/// comes back as it was written, followed by the predicted class and the softmax probability of every class.
/// </summary>
internal static class TablePredictor
{
    /// <summary>The column of the predicted class.</summary>
    public const string PredictedColumn = "predicted";

    /// <summary>The column of the probability of class <paramref name="className"/>.</summary>
    public static string ProbabilityColumn(string className) => $"p({className})";

    /// <summary>The CSV text of the rows of <paramref name="path"/> with their predictions (comma-separated, quoted where needed).</summary>
    /// <param name="network">The classifier, on <paramref name="device"/>.</param>
    /// <param name="schema">The run's schema: the file must hold its input columns (the label column may be absent).</param>
    /// <param name="path">The CSV file of rows to classify.</param>
    /// <param name="device">Where the forward passes run.</param>
    /// <param name="batchSize">Rows per forward pass.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    /// <exception cref="InvalidDataException">The file is refused (see <see cref="CsvDataset.Open(string, TableSchema)"/>), or already has a column that the predictions would add.</exception>
    public static string Predict(nn.Module<Tensor, Tensor> network, TableSchema schema, string path, Device device, int batchSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var file = CsvDataset.ReadUnder(schema, path, withLabel: false, keepFields: true);
        string[] added = [PredictedColumn, .. schema.ClassNames.Select(ProbabilityColumn)];
        if (added.FirstOrDefault(file.Header.Contains) is { } clash)
            throw new InvalidDataException($"{path} already has a column '{clash}', which the predictions add; rename it");
        var probabilities = Probabilities(network, schema, file, device, batchSize, cancellationToken);

        var text = new StringBuilder();
        using (var writer = Sep.New(',').Writer(options => options with { Escape = true }).To(text))
        {
            var classes = schema.ClassNames.Count;
            for (var row = 0; row < file.Rows; row++)
            {
                using var line = writer.NewRow();
                for (var c = 0; c < file.Header.Count; c++)
                    line[file.Header[c]].Set(file.Fields![row][c]);
                var scores = probabilities.AsSpan(row * classes, classes);
                line[PredictedColumn].Set(schema.ClassNames[scores.IndexOf(MaxOf(scores))]);
                for (var k = 0; k < classes; k++)
                    line[added[k + 1]].Set(scores[k].ToString("R", CultureInfo.InvariantCulture));
            }
        }
        return text.ToString();
    }

    private static float[] Probabilities(nn.Module<Tensor, Tensor> network, TableSchema schema, CsvFile file, Device device, int batchSize, CancellationToken cancellationToken)
    {
        var rows = Enumerable.Range(0, file.Rows).ToArray();
        using var inference = InferenceScope.NoGrad(network);
        using var scope = NewDisposeScope();
        var inputs = tensor(schema.Encode(file, rows), [rows.Length, schema.FeatureCount]);
        var batches = new List<Tensor>();
        for (long start = 0; start < rows.Length; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = inputs.narrow(0, start, Math.Min(batchSize, rows.Length - start)).to(device);
            batches.Add(softmax(network.call(batch), 1).cpu());
        }
        return cat(batches, 0).data<float>().ToArray();
    }

    private static float MaxOf(ReadOnlySpan<float> values)
    {
        var max = values[0];
        foreach (var value in values)
            max = Math.Max(max, value);
        return max;
    }
}
