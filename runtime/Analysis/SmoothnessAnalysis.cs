using NfmGen.Data;
using NfmGen.Inference;
using NfmGen.Randomness;
using static TorchSharp.torch;

namespace NfmGen.Analysis;

/// <summary>
/// How smooth a trained network's map from the features at each mix point to its outputs is, on test points: the
/// feature-output Jacobian and the curvature that the NFM paper's Theorem 1 says NFM's implicit regulariser reduces
/// (<see cref="SmoothnessMeasure"/>), each as a mean over points with a 95% bootstrap interval, as the network computes
/// and with its logits temperature-scaled (a confident network has little softmax curvature and can look smooth for
/// the wrong reason). <c>nfm analyze</c> runs it on a run folder.
/// </summary>
public static class SmoothnessAnalysis
{
    /// <summary>
    /// Measures <paramref name="network"/> (in place on its device; put back in its mode afterwards) on the first
    /// <see cref="SmoothnessOptions.Samples"/> points of <paramref name="data"/>.
    /// </summary>
    /// <exception cref="ArgumentException">An option is out of range, a mix point is not the network's, or the data has fewer than 4 points.</exception>
    public static SmoothnessReport Run(INfmNetwork network, LabeledDataset data, SmoothnessOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        options ??= new SmoothnessOptions();
        options.Validate();
        var mixPoints = options.MixPoints.Resolve(network.Info);
        var device = network.Module.parameters().FirstOrDefault()?.device ?? CPU;

        using var scope = NewDisposeScope();
        using var inference = InferenceScope.WithInputGradients(network.Module);
        // Each batch's labels beside its inputs: an image folder that skips bad files delivers short batches.
        var batches = Points(data, (int)Math.Min(options.Samples, data.Count), options.BatchSize, device);
        var labels = batches.SelectMany(batch => batch.Labels).ToArray();
        var count = labels.Length;
        if (count < 4)
            throw new ArgumentException($"{data.Name} has {count} points to measure: the analysis needs at least 4 (half fit the temperature, half measure with it)", nameof(data));
        var logits = LogitsOf(network, [.. batches.Select(batch => batch.Inputs)]);
        if (logits[0].Length != data.ClassCount)
            throw new ArgumentException($"{network.Info.Name} gives {logits[0].Length} logits but {data.Name} has {data.ClassCount} classes", nameof(data));
        var (fitting, measuring) = Halves(count, options.Seed);
        var temperature = TemperatureFit.Fit([.. fitting.Select(i => logits[i])], [.. fitting.Select(i => labels[i])]);
        var exact = data.ClassCount <= options.ExactClassLimit;

        var results = new List<MixPointSmoothness>();
        foreach (var k in mixPoints)
        {
            using var generator = new Generator(unchecked((ulong)Seeds.Derive(options.Seed, k)), CPU);
            var probe = new JacobianProbe(h => network.ForwardFrom(k, h), data.ClassCount, exact, options.Probes, options.FiniteDifferenceStep, generator);
            var plain = new Dictionary<SmoothnessMeasure, List<double>>();
            var scaled = new Dictionary<SmoothnessMeasure, List<double>>();
            var offset = 0;
            foreach (var (x, y) in batches)
            {
                using var batchScope = NewDisposeScope();
                using var features = network.ForwardTo(k, x);
                using var targets = tensor(y, device: device);
                Append(plain, probe.Measure(features, targets, 1.0));
                // With logits/T, only the points that did not fit T.
                long[] measured = [.. Enumerable.Range(0, y.Length).Where(i => measuring.Contains(offset + i)).Select(i => (long)i)];
                if (measured.Length > 0)
                {
                    using var rows = tensor(measured, device: device);
                    Append(scaled, probe.Measure(features.index_select(0, rows), targets.index_select(0, rows), 1.0 / temperature));
                }
                offset += y.Length;
            }
            var random = new Random(unchecked((int)Seeds.Derive(options.Seed, 1000 + k)));
            results.Add(new MixPointSmoothness(k, network.Info.MixPoints[k],
                plain.ToDictionary(pair => pair.Key, pair => Bootstrap.Mean(pair.Value, options.BootstrapResamples, random)),
                scaled.ToDictionary(pair => pair.Key, pair => Bootstrap.Mean(pair.Value, options.BootstrapResamples, random))));
        }
        return new SmoothnessReport(network.Info.Name, data.Name, count, temperature, exact, options.Probes, results) { Options = options };
    }

    private static void Append(Dictionary<SmoothnessMeasure, List<double>> into, Dictionary<SmoothnessMeasure, double[]> batch)
    {
        foreach (var (measure, values) in batch)
            (into.TryGetValue(measure, out var existing) ? existing : into[measure] = []).AddRange(values);
    }

    // The first count points in dataset order (fewer when bad images are skipped), in batches on the device, each with its labels.
    private static List<(Tensor Inputs, long[] Labels)> Points(LabeledDataset data, int count, int batchSize, Device device)
    {
        var batches = new List<(Tensor, long[])>();
        var taken = 0;
        using var loader = new BatchLoader(data, batchSize, device: device);
        foreach (var batch in loader.Epoch(0))
        {
            var take = (int)Math.Min(batch.Size, count - taken);
            batches.Add((batch.Inputs.narrow(0, 0, take).clone(), batch.Labels.narrow(0, 0, take).cpu().data<long>().ToArray()));
            taken += take;
            if (taken == count)
                break;
        }
        return batches;
    }

    private static double[][] LogitsOf(INfmNetwork network, List<Tensor> inputs)
    {
        using var noGrad = no_grad();
        return [.. inputs.SelectMany(x =>
        {
            using var logits = network.Module.call(x).to(ScalarType.Float64).cpu();
            var (rows, classes) = ((int)logits.shape[0], (int)logits.shape[1]);
            var values = logits.data<double>().ToArray();
            return Enumerable.Range(0, rows).Select(i => values.AsSpan(i * classes, classes).ToArray());
        })];
    }

    // A seeded split of the points into the half that fits T and the half that is measured with it.
    private static (int[] Fitting, HashSet<int> Measuring) Halves(int count, long seed)
    {
        var order = Enumerable.Range(0, count).ToArray();
        new Random(unchecked((int)Seeds.Derive(seed, 999))).Shuffle(order);
        return (order[..(count / 2)], [.. order[(count / 2)..]]);
    }
}
