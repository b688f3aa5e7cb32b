using System.Diagnostics;
using System.Globalization;
using NfmGen.Data.Tables;
using NfmGen.Models;
using NfmGen.Training;

namespace NfmGen.Benchmarks.Runners;

/// <summary>
/// The table path's speed: reading a CSV file into encoded rows (<see cref="CsvDataset.Open(string, CsvOptions)"/>:
/// parse, split, fit, encode) in rows/s, and a training epoch of the tabular zoo on it, ERM and NFM interleaved.
/// benchmarks/tables_side_by_side.sh runs the reading beside pandas'.
/// </summary>
internal static class TablePipeline
{
    /// <summary>Prints the rows/s of <paramref name="calls"/> reads of the file after one warm-up read, and their median.</summary>
    public static void Read(string path, string label, int calls)
    {
        Open(path, label); // warm-up: the JIT, the file cache
        var seconds = new List<double>();
        long rows = 0;
        for (var i = 0; i < calls; i++)
        {
            var clock = Stopwatch.StartNew();
            rows = Open(path, label);
            seconds.Add(clock.Elapsed.TotalSeconds);
        }
        var rates = seconds.Select(s => rows / s).Order().ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"nfmgen read+split+fit+encode {Path.GetFileName(path)}: {rows} rows, {rates.First():F0}..{rates.Last():F0} rows/s, median {rates[rates.Length / 2]:F0} over {calls} calls"));
    }

    /// <summary>Trains each of <paramref name="models"/> with ERM and NFM for two epochs, <paramref name="rounds"/> times interleaved; prints the second (warm) epoch's seconds.</summary>
    public static void Epochs(string path, string label, IReadOnlyList<string> models, int rounds)
    {
        var (train, test) = CsvDataset.Open(path, new CsvOptions(label));
        using (train)
        using (test)
        {
            var times = new Dictionary<string, List<double>>();
            var folder = Directory.CreateTempSubdirectory("nfmgen-table-epochs");
            try
            {
                for (var round = 0; round < rounds; round++)
                {
                    foreach (var model in models)
                    {
                        foreach (var scheme in new[] { TrainingScheme.Erm(), TrainingScheme.Nfm() })
                        {
                            var zoo = ModelZoo.Find(model);
                            var run = NfmTrainer.Train(() => zoo.Create(new ModelShape(train.ClassCount, train.Schema.FeatureCount, 0)), scheme, train, null,
                                new TrainingOptions { Epochs = 2, Device = "cpu", TensorBoard = false }, Path.Combine(folder.FullName, $"{model}-{scheme.Name}-{round}"), Quiet.Listener);
                            run.Network.Module.Dispose();
                            var key = $"{model} {scheme.Name}";
                            (times.TryGetValue(key, out var list) ? list : times[key] = []).Add(run.Metrics[^1].Seconds);
                        }
                    }
                }
            }
            finally
            {
                folder.Delete(recursive: true);
            }
            foreach (var (key, seconds) in times)
            {
                var sorted = seconds.Order().ToArray();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{key}: epoch of {train.Count} rows (batch 128) {sorted.First():F2}..{sorted.Last():F2} s, median {sorted[sorted.Length / 2]:F2} s over {rounds} rounds"));
            }
        }
    }

    private static long Open(string path, string label)
    {
        var (train, test) = CsvDataset.Open(path, new CsvOptions(label));
        var rows = train.Count + test.Count;
        train.Dispose();
        test.Dispose();
        return rows;
    }

    private sealed class Quiet : ITrainingListener
    {
        public static readonly Quiet Listener = new();

        public void OnStep(StepReport step)
        {
        }

        public void OnEpoch(EpochMetrics metrics, int totalEpochs)
        {
        }
    }
}
