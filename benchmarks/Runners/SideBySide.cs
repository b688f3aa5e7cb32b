using System.Diagnostics;
using System.Globalization;

namespace NfmGen.Benchmarks.Runners;

/// <summary>
/// Times several cases interleaved, round after round (a, b, c, a, b, c, ...), so that a slow phase of a busy machine
/// hits every case alike; reports each case's median and spread. The ratios between cases are what this is for.
/// </summary>
public static class SideBySide
{
    /// <summary>One timed case: a name and one operation.</summary>
    public sealed record Case(string Name, Action Run);

    /// <summary>
    /// The timings of one case, in milliseconds, and the median over rounds of its time over the first case's time in
    /// the same round: pairing the rounds cancels the machine's slow drifts, which the ratio of medians keeps.
    /// </summary>
    public sealed record Result(string Name, double MedianMs, double MinMs, double MaxMs, int Samples, double PairedRatio);

    /// <summary>Warms each case <paramref name="warmup"/> times, then times <paramref name="rounds"/> interleaved rounds.</summary>
    public static IReadOnlyList<Result> Run(IReadOnlyList<Case> cases, int rounds, int warmup = 2)
    {
        foreach (var c in cases)
            for (var i = 0; i < warmup; i++)
                c.Run();
        var samples = cases.Select(_ => new List<double>()).ToArray();
        for (var r = 0; r < rounds; r++)
        {
            for (var i = 0; i < cases.Count; i++)
            {
                var clock = Stopwatch.StartNew();
                cases[i].Run();
                samples[i].Add(clock.Elapsed.TotalMilliseconds);
            }
        }
        return cases.Select((c, i) => new Result(c.Name, Median(samples[i]), samples[i].Min(), samples[i].Max(), samples[i].Count,
            Median(samples[i].Zip(samples[0], (time, first) => time / first).ToList()))).ToList();
    }

    /// <summary>Prints results as a Markdown table, with each case's ratios to the first (of the medians, and paired by round).</summary>
    public static void Print(string title, IReadOnlyList<Result> results)
    {
        Console.WriteLine();
        Console.WriteLine($"### {title}");
        Console.WriteLine("| case | median ms | min ms | max ms | n | / first | / first, paired |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Name} | {r.MedianMs:F1} | {r.MinMs:F1} | {r.MaxMs:F1} | {r.Samples} | {r.MedianMs / results[0].MedianMs:F3} | {r.PairedRatio:F3} |"));
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
