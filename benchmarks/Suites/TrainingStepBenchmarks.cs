using BenchmarkDotNet.Attributes;
using NfmGen.Benchmarks.Rigs;

namespace NfmGen.Benchmarks.Suites;

/// <summary>One SGD step of PreActResNet-18 at width 16 (32x32x3, batch 128) per scheme.</summary>
[Config(typeof(ShortRunConfig))]
public class PreActResNet18Width16Step
{
    private TrainingStepRig? rig;

    /// <summary>The scheme.</summary>
    [ParamsSource(nameof(Schemes))]
    public string Scheme { get; set; } = "erm";

    /// <summary>The schemes compared.</summary>
    public static IEnumerable<string> Schemes => BenchmarkSchemes.Names;

    /// <summary>Builds the network and batch.</summary>
    [GlobalSetup]
    public void Setup() => rig = TrainingStepRig.PreActResNet18(16, Scheme);

    /// <summary>Frees them.</summary>
    [GlobalCleanup]
    public void Cleanup() => rig?.Dispose();

    /// <summary>One step.</summary>
    [Benchmark]
    public double Step() => rig!.Step();
}

/// <summary>One SGD step of PreActResNet-18 at the paper's width 64 (32x32x3, batch 128) per scheme: seconds each.</summary>
[Config(typeof(LongRunConfig))]
public class PreActResNet18Width64Step
{
    private TrainingStepRig? rig;

    /// <summary>The scheme.</summary>
    [ParamsSource(nameof(Schemes))]
    public string Scheme { get; set; } = "erm";

    /// <summary>The schemes compared.</summary>
    public static IEnumerable<string> Schemes => BenchmarkSchemes.Names;

    /// <summary>Builds the network and batch.</summary>
    [GlobalSetup]
    public void Setup() => rig = TrainingStepRig.PreActResNet18(64, Scheme);

    /// <summary>Frees them.</summary>
    [GlobalCleanup]
    public void Cleanup() => rig?.Dispose();

    /// <summary>One step.</summary>
    [Benchmark]
    public double Step() => rig!.Step();
}

/// <summary>One SGD step of the 28x28 grey network (SmallConvNet, batch 128) per scheme.</summary>
[Config(typeof(ShortRunConfig))]
public class SmallConvNetStep
{
    private TrainingStepRig? rig;

    /// <summary>The scheme.</summary>
    [ParamsSource(nameof(Schemes))]
    public string Scheme { get; set; } = "erm";

    /// <summary>The schemes compared.</summary>
    public static IEnumerable<string> Schemes => BenchmarkSchemes.Names;

    /// <summary>Builds the network and batch.</summary>
    [GlobalSetup]
    public void Setup() => rig = TrainingStepRig.SmallConvNet(Scheme);

    /// <summary>Frees them.</summary>
    [GlobalCleanup]
    public void Cleanup() => rig?.Dispose();

    /// <summary>One step.</summary>
    [Benchmark]
    public double Step() => rig!.Step();
}
