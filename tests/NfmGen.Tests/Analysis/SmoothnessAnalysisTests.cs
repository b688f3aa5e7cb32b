using NfmGen.Analysis;
using NfmGen.Data;
using NfmGen.Mixing;
using TorchSharp;
using static TorchSharp.torch;

namespace NfmGen.Tests.Analysis;

/// <summary>Every estimate of <see cref="SmoothnessAnalysis"/> against the brute-force Jacobian and Hessian of small smooth networks.</summary>
[Collection(GlobalGeneratorCollection.Name)]
public sealed class SmoothnessAnalysisTests
{
    private const int Inputs = 3;

    private static (SmoothMlp Network, SmoothMlp Reference) Networks(int classes, bool linear = false, long seed = 1)
    {
        manual_seed(seed);
        var network = new SmoothMlp(Inputs, classes, linear);
        network.eval();
        var reference = new SmoothMlp(Inputs, classes, linear);
        reference.load_state_dict(network.state_dict());
        reference.to(ScalarType.Float64).eval();
        return (network, reference);
    }

    private static (Tensor Points, Tensor Labels) Points(int count, int classes, long seed)
    {
        using var generator = new TorchSharp.torch.Generator((ulong)seed);
        return (randn([count, Inputs], generator: generator).mul_(1.5), randint(0, classes, [count], ScalarType.Int64, generator: generator));
    }

    // Per point: (estimate, brute force) of each measure, at mix point k, logits scaled by scale.
    private static List<(Dictionary<SmoothnessMeasure, double> Estimate, BruteForce.Values Exact)> Compare(
        int classes, bool exact, int probes, int k, double scale = 1.0, bool linear = false, int count = 40)
    {
        var (network, reference) = Networks(classes, linear);
        using (network)
        using (reference)
        {
            using var scope = NewDisposeScope();
            var (points, labels) = Points(count, classes, seed: 7);
            using var generator = new TorchSharp.torch.Generator(3);
            var features = network.ForwardTo(k, points).detach();
            var probe = new JacobianProbe(h => network.ForwardFrom(k, h), classes, exact, probes, 1e-2, generator);
            var measured = probe.Measure(features, labels, scale);
            var rows = features.to(ScalarType.Float64).data<double>().ToArray();
            var width = (int)features.shape[1];
            var labelValues = labels.data<long>().ToArray();
            return [.. Enumerable.Range(0, count).Select(i => (
                measured.ToDictionary(pair => pair.Key, pair => pair.Value[i]),
                BruteForce.At(h => reference.ForwardFrom(k, h), rows[(i * width)..((i + 1) * width)], labelValues[i], scale)))];
        }
    }

    private static double Pick(BruteForce.Values exact, SmoothnessMeasure measure) => measure switch
    {
        SmoothnessMeasure.JacobianNorm => exact.Norm,
        SmoothnessMeasure.SoftmaxJacobian => exact.Softmax,
        SmoothnessMeasure.MultiplicativeJacobian => exact.Multiplicative,
        _ => exact.HessianTrace,
    };

    // The estimator's mean error over the points is within 4 of its standard errors of 0 (and not a fixed percentage).
    private static void AssertUnbiased(IReadOnlyList<(Dictionary<SmoothnessMeasure, double> Estimate, BruteForce.Values Exact)> points, SmoothnessMeasure measure)
    {
        var errors = points.Select(point => point.Estimate[measure] - Pick(point.Exact, measure)).ToArray();
        var mean = errors.Average();
        var standardError = Math.Sqrt(errors.Sum(e => (e - mean) * (e - mean)) / (errors.Length - 1) / errors.Length);
        var scale = points.Average(point => Math.Abs(Pick(point.Exact, measure)));
        Assert.True(Math.Abs(mean) <= 4 * standardError + 1e-4 * scale,
            FormattableString.Invariant($"{measure}: mean error {mean:G4} against a standard error of {standardError:G4} (mean exact value {scale:G4})"));
        Assert.True(standardError > 0, $"{measure}: a random estimate with no spread is not being estimated");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void With_few_classes_the_jacobian_measures_are_exact_at_every_mix_point(int k)
    {
        foreach (var (estimate, exact) in Compare(classes: 3, exact: true, probes: 4, k))
        {
            Assert.Equal(exact.Norm, estimate[SmoothnessMeasure.JacobianNorm], 1e-3 * Math.Max(1, exact.Norm));
            Assert.Equal(exact.Softmax, estimate[SmoothnessMeasure.SoftmaxJacobian], 1e-3 * Math.Max(1, exact.Norm));
            Assert.Equal(exact.Multiplicative, estimate[SmoothnessMeasure.MultiplicativeJacobian], 1e-3 * Math.Max(1, exact.Norm));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void With_many_classes_the_projections_are_unbiased_within_their_standard_error(int k)
    {
        var points = Compare(classes: 12, exact: false, probes: 64, k, count: 80);
        AssertUnbiased(points, SmoothnessMeasure.JacobianNorm);
        AssertUnbiased(points, SmoothnessMeasure.SoftmaxJacobian);
        AssertUnbiased(points, SmoothnessMeasure.MultiplicativeJacobian);
    }

    [Theory]
    [InlineData(1, 1.0)]
    [InlineData(2, 0.4)]
    public void Hutchinsons_trace_is_unbiased_for_the_loss_hessian_with_and_without_temperature(int k, double scale)
    {
        AssertUnbiased(Compare(classes: 4, exact: true, probes: 64, k, scale, count: 80), SmoothnessMeasure.LossHessianTrace);
    }

    [Fact]
    public void For_a_piecewise_linear_head_the_hessian_trace_is_the_softmax_jacobian_and_the_jacobian_does_not_change()
    {
        var points = Compare(classes: 4, exact: true, probes: 64, k: 1, linear: true);
        var errors = points.Select(point => point.Estimate[SmoothnessMeasure.LossHessianTrace] - point.Estimate[SmoothnessMeasure.SoftmaxJacobian]).ToArray();
        Assert.InRange(Math.Abs(errors.Average()), 0, 4 * Math.Sqrt(errors.Sum(e => e * e) / errors.Length / errors.Length) + 1e-6);
        var linear = points.Max(point => point.Estimate[SmoothnessMeasure.JacobianChange]);
        Assert.InRange(linear, 0, 1e-4); // float32 round-off only
        // A smooth head's Jacobian does change, by orders of magnitude more.
        var smooth = Compare(classes: 4, exact: true, probes: 4, k: 1).Average(point => point.Estimate[SmoothnessMeasure.JacobianChange]);
        Assert.True(smooth > 100 * linear && smooth > 1e-6, FormattableString.Invariant($"smooth {smooth:G3}, linear {linear:G3}"));
    }

    [Fact]
    public void The_projected_change_of_the_jacobian_agrees_with_the_exact_one_within_their_standard_errors()
    {
        // Each run draws its own steps δ: the means over the points agree in expectation, within their standard errors.
        double[] Changes(bool exact) =>
            [.. Compare(classes: 12, exact, probes: 16, k: 1, count: 80).Select(point => point.Estimate[SmoothnessMeasure.JacobianChange])];
        var (exactChanges, projected) = (Changes(exact: true), Changes(exact: false));
        double StandardError(double[] values) => Math.Sqrt(values.Sum(v => (v - values.Average()) * (v - values.Average())) / (values.Length - 1) / values.Length);
        var gap = Math.Abs(exactChanges.Average() - projected.Average());
        Assert.True(gap <= 4 * Math.Sqrt(Math.Pow(StandardError(exactChanges), 2) + Math.Pow(StandardError(projected), 2)),
            FormattableString.Invariant($"exact {exactChanges.Average():G4}, projected {projected.Average():G4}"));
        Assert.True(exactChanges.Average() > 1e-4);
    }

    [Fact]
    public void The_intervals_cover_the_population_mean_at_about_their_nominal_rate()
    {
        // The population mean of ‖J‖² at the input, from 20,000 points; then 40 samples of 60 points, each with its interval.
        var (network, reference) = Networks(classes: 3);
        using (network)
        using (reference)
        {
            var options = new SmoothnessOptions { MixPoints = MixPointSelection.InputOnly, Samples = 20000, Probes = 1, BatchSize = 2000, BootstrapResamples = 100 };
            double MeanOver(int count, long seed, out SmoothnessEstimate estimate)
            {
                var (points, labels) = Points(count, 3, seed);
                using var data = new FeatureDataset("gaussian", points, labels, 3);
                estimate = SmoothnessAnalysis.Run(network, data, options with { Samples = count, BootstrapResamples = 400, Seed = seed }).MixPoints[0].Measures[SmoothnessMeasure.JacobianNorm];
                return estimate.Mean;
            }
            var population = MeanOver(20000, 12345, out _);
            var covered = 0;
            const int Repeats = 40;
            for (var r = 0; r < Repeats; r++)
            {
                MeanOver(60, 100 + r, out var interval);
                if (interval.Lower <= population && population <= interval.Upper)
                    covered++;
            }
            // 95% nominal; a binomial(40, 0.95) falls below 32 with probability about 0.001.
            Assert.InRange(covered, 32, Repeats);
        }
    }

    [Fact]
    public void The_fitted_temperature_undoes_a_known_scaling_of_calibrated_logits()
    {
        var random = new Random(4);
        var logits = new double[4000][];
        var labels = new long[logits.Length];
        for (var i = 0; i < logits.Length; i++)
        {
            var z = Enumerable.Range(0, 5).Select(_ => random.NextDouble() * 4 - 2).ToArray();
            var p = z.Select(Math.Exp).ToArray();
            var u = random.NextDouble() * p.Sum();
            var label = 0;
            while (u > p[label])
                u -= p[label++];
            labels[i] = Math.Min(label, 4);
            logits[i] = [.. z.Select(v => v * 3)]; // calibrated logits made 3x too confident
        }
        Assert.InRange(TemperatureFit.Fit(logits, labels), 2.7, 3.3);
    }

    [Fact]
    public void The_report_has_every_measure_at_every_mix_point_and_bad_options_are_refused_by_name()
    {
        var (network, reference) = Networks(classes: 3);
        using (network)
        using (reference)
        {
            var (points, labels) = Points(30, 3, seed: 2);
            using var data = new FeatureDataset("gaussian", points, labels, 3);
            network.train();
            var options = new SmoothnessOptions { Samples = 1000, Probes = 2, BootstrapResamples = 100, BatchSize = 7 };
            var report = SmoothnessAnalysis.Run(network, data, options);
            Assert.Equal(30, report.Points); // all the data has, in batches of 7 that do not divide it
            Assert.Equal(options, report.Options);
            Assert.Equal([0, 1, 2], report.MixPoints.Select(point => point.MixPoint));
            Assert.Equal(["input", "hidden1", "hidden2"], report.MixPoints.Select(point => point.Layer));
            Assert.True(report.ExactJacobian);
            Assert.InRange(report.Temperature, 0.05, 20);
            Assert.All(report.MixPoints, point =>
            {
                Assert.Equal(Enum.GetValues<SmoothnessMeasure>(), point.Measures.Keys.Order());
                Assert.Equal(Enum.GetValues<SmoothnessMeasure>(), point.TemperatureScaled.Keys.Order());
                Assert.All(point.Measures.Values, estimate => Assert.True(estimate.Lower <= estimate.Mean && estimate.Mean <= estimate.Upper));
            });
            Assert.True(network.training); // put back in its mode, its parameters trainable again
            Assert.All(network.parameters(), parameter => Assert.True(parameter.requires_grad));

            var error = Assert.Throws<ArgumentException>(() => SmoothnessAnalysis.Run(network, data, new SmoothnessOptions { Probes = 0 }));
            Assert.Equal("Probes must be >= 1 (was 0)", error.Message.Split(" (Parameter")[0]);
        }
    }
}
