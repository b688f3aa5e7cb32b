using System.Diagnostics;
using static System.FormattableString;

namespace NfmGen.Training;

/// <summary>
/// Shows training on the console: a progress bar with throughput and ETA on a terminal, plain log lines (one per
/// epoch) when the output is redirected, as in CI.
/// </summary>
internal sealed class ConsoleTrainingProgress(TextWriter? output = null, bool? interactive = null) : ITrainingListener
{
    private const int BarWidth = 24;
    private static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(200);
    private readonly TextWriter output = output ?? Console.Out;
    private readonly bool interactive = interactive ?? !Console.IsOutputRedirected;
    private readonly Stopwatch sinceRedraw = Stopwatch.StartNew();

    /// <inheritdoc />
    public void OnStep(StepReport step)
    {
        if (!interactive || (sinceRedraw.Elapsed < RedrawInterval && step.Step != step.StepsPerEpoch))
            return;
        sinceRedraw.Restart();
        var done = (double)step.Step / step.StepsPerEpoch;
        var filled = (int)(done * BarWidth);
        var eta = step.Step == 0 ? TimeSpan.Zero : step.Elapsed * ((step.StepsPerEpoch - step.Step) / (double)step.Step);
        output.Write(Invariant(
            $"\repoch {step.Epoch}/{step.TotalEpochs} [{new string('=', filled)}{new string(' ', BarWidth - filled)}] {step.Step}/{step.StepsPerEpoch}  loss {step.Loss:F4}  {step.ImagesPerSecond:F0} img/s  ETA {eta:mm\\:ss}  "));
    }

    /// <inheritdoc />
    public void OnEpoch(EpochMetrics metrics, int totalEpochs)
    {
        if (interactive)
            output.Write('\r');
        output.WriteLine(Describe(metrics, totalEpochs));
    }

    /// <inheritdoc />
    public void OnMessage(string message)
    {
        if (interactive)
            output.Write('\r');
        output.WriteLine(message);
    }

    /// <summary>One epoch as a log line.</summary>
    public static string Describe(EpochMetrics metrics, int totalEpochs)
    {
        var test = metrics.TestAccuracy is { } accuracy ? Invariant($"  test loss {metrics.TestLoss:F4} acc {100 * accuracy:F2}%") : "";
        return Invariant(
            $"epoch {metrics.Epoch}/{totalEpochs}  train loss {metrics.TrainLoss:F4} acc {100 * metrics.TrainAccuracy:F2}%{test}  lr {metrics.LearningRate:G4}  {metrics.ImagesPerSecond:F0} img/s  {metrics.Seconds:F1}s")
            + (metrics.SkippedImages is > 0 ? Invariant($"  skipped {metrics.SkippedImages} bad images") : "");
    }
}
