using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;
using NfmGen.Data.Tables;
using NfmGen.Reports;
using NfmGen.Robustness;
using TorchSharp;
using static TorchSharp.torch;

namespace NfmGen.Benchmarks.Runners;

/// <summary>
/// Gradient-boosted trees (ML.NET's LightGBM, its defaults) on a CSV file's split, scored on the clean test rows and
/// under the perturbations <c>nfm eval</c> applies to networks: the same rows, encoding, noise draws and drop masks
/// (<see cref="TableNoise"/>, one generator per level from the evaluation's seed, drawn batch by batch as the evaluator
/// draws), so a tree's column sits beside the networks' in docs/tables.md.
/// </summary>
internal static class TableBaselines
{
    private const int EvaluationBatch = RobustnessEvaluator.DefaultBatchSize;

    /// <summary>Trains one model per seed and prints each one's report row and the mean ± std over seeds (Markdown).</summary>
    public static void Run(string path, CsvOptions options, IReadOnlyList<PerturbationSpec> specs, int seeds, long evaluationSeed = 0)
    {
        var (train, test) = CsvDataset.Open(path, options);
        using (train)
        using (test)
        {
            Console.WriteLine($"{train} / {test}, {train.Schema.FeatureCount} inputs; LightGBM (ML.NET defaults), seeds 1..{seeds}");
            var perturbed = Perturbed(test, specs, evaluationSeed);
            var rows = new List<ReportRow>();
            for (var seed = 1; seed <= seeds; seed++)
            {
                var started = DateTime.UtcNow;
                var model = Train(train, seed);
                var clean = model(test.Features, test.Labels);
                var results = perturbed.Select(pass => pass.Result(model(pass.Inputs, test.Labels))).ToArray();
                rows.Add(new ReportRow("lightgbm", clean, results));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"seed {seed}: clean {100 * clean:F2}%  {string.Join("  ", results.Select(r => $"{r.Kind} {r.Label} {100 * r.Accuracy:F2}%"))}  ({(DateTime.UtcNow - started).TotalSeconds:F1} s)"));
            }
            foreach (var pass in perturbed)
                pass.Inputs.Dispose();
            var columns = new RobustnessReport("", rows).Columns();
            var averaged = new SeedAveragedRow("lightgbm", Spread.Of([.. rows.Select(row => row.CleanAccuracy)]),
                [.. columns.Select(column => (Spread?)Spread.Of([.. rows.Select(row => row.Find(column)!.Accuracy)]))])
            {
                Seeds = new SeedCount(rows.Count, rows.Count, []),
            };
            var report = new SeedAveragedReport($"LightGBM on {test.Name}: mean ± std over seeds", columns, [averaged], []);
            Console.WriteLine(SeedAveragedRenderer.Render(report, ReportFormat.Markdown));
        }
    }

    // Each level's inputs, drawn as RobustnessEvaluator draws them: a fresh generator from the seed, batches in dataset order.
    private static List<(Tensor Inputs, Func<double, PerturbationResult> Result)> Perturbed(CsvDataset test, IReadOnlyList<PerturbationSpec> specs, long seed)
    {
        using var table = new TableNoise(test.Schema, CPU);
        var passes = new List<(Tensor, Func<double, PerturbationResult>)>();
        foreach (var spec in specs)
        {
            foreach (var level in spec.Levels)
            {
                using var scope = NewDisposeScope();
                using var generator = new Generator(unchecked((ulong)seed), CPU);
                var batches = new List<Tensor>();
                for (long start = 0; start < test.Count; start += EvaluationBatch)
                {
                    var batch = test.Features.narrow(0, start, Math.Min(EvaluationBatch, test.Count - start));
                    batches.Add(spec.Kind == PerturbationKind.FeatureDrop ? table.Drop(batch, level, generator) : table.AddNoise(batch, level, generator));
                }
                passes.Add((cat(batches, 0).DetachFromDisposeScope(), accuracy => spec.Result(level, accuracy)));
            }
        }
        return passes;
    }

    // A LightGBM multiclass model trained on the rows, as a function from inputs [N, D] and their labels to its accuracy.
    private static Func<Tensor, Tensor, double> Train(CsvDataset train, int seed)
    {
        var context = new MLContext(seed);
        var schema = Schema(train.Schema.FeatureCount);
        var trainView = context.Data.LoadFromEnumerable(Rows(train.Features, train.Labels), schema);
        var pipeline = context.Transforms.Conversion.MapValueToKey(nameof(Row.Label))
            .Append(context.MulticlassClassification.Trainers.LightGbm(new LightGbmMulticlassTrainer.Options { Seed = seed }));
        var model = pipeline.Fit(trainView);
        return (inputs, labels) =>
        {
            var scored = model.Transform(context.Data.LoadFromEnumerable(Rows(inputs, labels), schema));
            return context.MulticlassClassification.Evaluate(scored).MicroAccuracy;
        };
    }

    private static SchemaDefinition Schema(int features)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, features);
        return schema;
    }

    private static IEnumerable<Row> Rows(Tensor features, Tensor labels)
    {
        var width = (int)features.shape[1];
        float[] values;
        using (var contiguous = features.contiguous())
            values = contiguous.data<float>().ToArray();
        var classes = labels.data<long>().ToArray();
        for (var i = 0; i < classes.Length; i++)
            yield return new Row { Features = values.AsSpan(i * width, width).ToArray(), Label = (uint)classes[i] };
    }

    private sealed class Row
    {
        public float[] Features { get; set; } = [];

        public uint Label { get; set; }
    }
}
