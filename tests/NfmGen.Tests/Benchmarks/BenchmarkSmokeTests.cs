using NfmGen.Benchmarks.Rigs;
using NfmGen.Benchmarks.Runners;

namespace NfmGen.Tests.Benchmarks;

/// <summary>
/// Runs every benchmark's code path once at a tiny size, so the benchmarks keep building and working without their
/// minutes of timing being part of the test suite.
/// </summary>
public sealed class BenchmarkSmokeTests
{
    [Fact]
    public void Every_benchmark_code_path_runs_once_at_a_tiny_size()
    {
        foreach (var scheme in BenchmarkSchemes.Names)
        {
            using var resNet = TrainingStepRig.PreActResNet18(width: 2, scheme, batch: 4, side: 8);
            Assert.True(double.IsFinite(resNet.Step()), $"{scheme} PreActResNet18 step");
            using var grey = TrainingStepRig.SmallConvNet(scheme, batch: 4, width: 2);
            Assert.True(double.IsFinite(grey.Step()), $"{scheme} SmallConvNet step");
        }

        foreach (var scheme in (string[])["augmix", "noisymix"])
        {
            using var views = TrainingStepRig.PreActResNet18(width: 2, scheme, batch: 4, side: 8);
            Assert.True(double.IsFinite(views.Step()), $"{scheme} PreActResNet18 step on three views");
        }
        Assert.Equal(3, new AugMixRig(count: 2).Mix(3));
        SideBySideSuite.AugMix(rounds: 1);
        SideBySideSuite.AugMixSteps(width: 2, batch: 4, rounds: 1);
        SideBySideSuite.AugMixPipeline(width: 2, batch: 4, steps: 1, rounds: 1);

        using (var evaluation = new EvaluationRig(width: 2, batch: 4, inferenceMode: true))
            Assert.InRange(evaluation.Evaluate(), 0, 4);

        using (var forward = new ForwardRig(width: 2, batch: 4))
            Assert.Equal(forward.Handwritten(), forward.Generated()); // the twin computes exactly what the generated code does

        using (var data = new DataPipelineRig(images: 64, batch: 16))
            Assert.Equal(data.ImagesPerEpoch, data.Epoch());

        using (var mixer = new MixerRig(batch: 4, channels: 2, side: 4))
            Assert.Equal(4 * 2 * 4 * 4, mixer.MixAndPerturb());

        var readings = MemoryProbe.Run("smallconvnet", steps: 3, at: [1, 3], batch: 4, stepsPerEpoch: 2);
        Assert.Equal([1, 3], readings.Select(r => r.Step));

        using (var images = new TempDirectory())
        {
            var root = Path.Combine(Data.Images.ImageTreeWriter.Tree(images.Path, ["a", "b"], 2), "train");
            FolderPipeline.Run(root, epochs: 1, workers: 1, batchSize: 2);
            FolderPipelineProfile.Run(root, count: 2);
        }

        var timed = SideBySide.Run([new("nothing", () => { })], rounds: 3, warmup: 1);
        Assert.Equal(3, timed[0].Samples);
    }
}
