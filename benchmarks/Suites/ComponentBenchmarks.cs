using BenchmarkDotNet.Attributes;
using NfmGen.Benchmarks.Rigs;

namespace NfmGen.Benchmarks.Suites;

/// <summary>The generated forward against the handwritten twin (PreActResNet-18 width 16, batch 128, eval, no gradients).</summary>
[Config(typeof(ShortRunConfig))]
public class GeneratedForward
{
    private ForwardRig? rig;

    /// <summary>Builds both networks.</summary>
    [GlobalSetup]
    public void Setup() => rig = new ForwardRig();

    /// <summary>Frees them.</summary>
    [GlobalCleanup]
    public void Cleanup() => rig?.Dispose();

    /// <summary>The handwritten forward, the baseline.</summary>
    [Benchmark(Baseline = true)]
    public float Handwritten() => rig!.Handwritten();

    /// <summary>The generated forward.</summary>
    [Benchmark]
    public float Generated() => rig!.Generated();
}

/// <summary>The evaluation forward (PreActResNet-18 width 16, batch 512) under no_grad and under inference mode.</summary>
[Config(typeof(ShortRunConfig))]
public class EvaluationForward
{
    private EvaluationRig? rig;

    /// <summary>Whether inference mode replaces no_grad.</summary>
    [Params(false, true)]
    public bool InferenceMode { get; set; }

    /// <summary>Builds the network and batch.</summary>
    [GlobalSetup]
    public void Setup() => rig = new EvaluationRig(16, inferenceMode: InferenceMode);

    /// <summary>Frees them.</summary>
    [GlobalCleanup]
    public void Cleanup() => rig?.Dispose();

    /// <summary>One evaluation batch.</summary>
    [Benchmark]
    public double Evaluate() => rig!.Evaluate();
}

/// <summary>One epoch of 10,240 augmented CIFAR-shaped images through the BatchLoader (80 batches of 128).</summary>
[Config(typeof(ShortRunConfig))]
public class DataPipeline
{
    private DataPipelineRig? rig;

    /// <summary>Builds the dataset and loader.</summary>
    [GlobalSetup]
    public void Setup() => rig = new DataPipelineRig();

    /// <summary>Frees them.</summary>
    [GlobalCleanup]
    public void Cleanup() => rig?.Dispose();

    /// <summary>One epoch; images/s = 10,240 / the time.</summary>
    [Benchmark]
    public long Epoch() => rig!.Epoch();
}

/// <summary>The NFM mixer alone on a 128x128x16x16 feature map: sample, mix, multiplicative and additive noise.</summary>
[Config(typeof(ShortRunConfig))]
public class Mixer
{
    private MixerRig? rig;

    /// <summary>Builds the mixer and features.</summary>
    [GlobalSetup]
    public void Setup() => rig = new MixerRig();

    /// <summary>Frees them.</summary>
    [GlobalCleanup]
    public void Cleanup() => rig?.Dispose();

    /// <summary>One mix and perturbation.</summary>
    [Benchmark]
    public long MixAndPerturb() => rig!.MixAndPerturb();
}
