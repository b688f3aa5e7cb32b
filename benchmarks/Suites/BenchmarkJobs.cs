using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace NfmGen.Benchmarks.Suites;

/// <summary>
/// Jobs sized for a 2-core machine: a width-64 step takes seconds, so each benchmark runs once per iteration
/// (no pilot, no unrolling) with few iterations, and BenchmarkDotNet reports their median. The whole suite
/// (<c>-- bdn --filter '*'</c>) takes about 15 minutes on 2 cores.
/// </summary>
public static class BenchmarkJobs
{
    /// <summary>For operations of tens to hundreds of milliseconds: 3 warm-ups, 15 measured iterations.</summary>
    public static Job Short { get; } = Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(15)
        .WithInvocationCount(1).WithUnrollFactor(1).WithId("short");

    /// <summary>For operations of seconds (width 64): 1 warm-up, 5 measured iterations.</summary>
    public static Job Long { get; } = Job.Default.WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(5)
        .WithInvocationCount(1).WithUnrollFactor(1).WithId("long");
}

/// <summary>Applies <see cref="BenchmarkJobs.Short"/> with the median column.</summary>
public sealed class ShortRunConfig : ManualConfig
{
    /// <summary>The configuration.</summary>
    public ShortRunConfig()
    {
        AddJob(BenchmarkJobs.Short);
        AddColumn(BenchmarkDotNet.Columns.StatisticColumn.Median, BenchmarkDotNet.Columns.StatisticColumn.Min, BenchmarkDotNet.Columns.StatisticColumn.Max);
    }
}

/// <summary>Applies <see cref="BenchmarkJobs.Long"/> with the median column.</summary>
public sealed class LongRunConfig : ManualConfig
{
    /// <summary>The configuration.</summary>
    public LongRunConfig()
    {
        AddJob(BenchmarkJobs.Long);
        AddColumn(BenchmarkDotNet.Columns.StatisticColumn.Median, BenchmarkDotNet.Columns.StatisticColumn.Min, BenchmarkDotNet.Columns.StatisticColumn.Max);
    }
}
