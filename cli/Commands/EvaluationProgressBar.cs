using NfmGen.Robustness;
using static System.FormattableString;

namespace NfmGen.Cli.Commands;

/// <summary>Shows an evaluation's progress: a bar with ETA on a terminal, one line per stage when redirected.</summary>
internal sealed class EvaluationProgressBar : IProgress<EvaluationProgress>
{
    private readonly bool interactive = !Console.IsOutputRedirected;
    private readonly System.Diagnostics.Stopwatch sinceRedraw = System.Diagnostics.Stopwatch.StartNew();
    private string? stage;

    public void Report(EvaluationProgress value)
    {
        if (!interactive)
        {
            if (value.Stage != stage)
                Console.WriteLine(Invariant($"  [{value.StageIndex + 1}/{value.StageCount}] {value.Stage}"));
            stage = value.Stage;
            return;
        }
        if (sinceRedraw.ElapsedMilliseconds < 200 && value.Fraction < 1)
            return;
        sinceRedraw.Restart();
        const int width = 24;
        var filled = (int)(Math.Clamp(value.Fraction, 0, 1) * width);
        var remaining = value.Remaining is { } eta ? eta.ToString(@"mm\:ss") : "--:--";
        Console.Write(Invariant($"\r[{new string('=', filled)}{new string(' ', width - filled)}] {100 * value.Fraction,5:F1}%  {value.Stage,-24}  ETA {remaining}  "));
        if (value.Fraction >= 1)
            Console.WriteLine();
    }
}
