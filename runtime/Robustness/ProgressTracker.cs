using System.Diagnostics;

namespace NfmGen.Robustness;

/// <summary>Counts stages and weighted work done, and reports each step to an optional <see cref="IProgress{T}"/>.</summary>
internal sealed class ProgressTracker(IProgress<EvaluationProgress>? progress, int stageCount, double totalWork)
{
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private string stage = "";
    private int stageIndex = -1;
    private double done;

    public void BeginStage(string stage)
    {
        this.stage = stage;
        stageIndex++;
        Report();
    }

    public void Advance(double work)
    {
        this.done += work;
        Report();
    }

    private void Report() =>
        progress?.Report(new EvaluationProgress(this.stage, stageIndex, stageCount, totalWork > 0 ? Math.Min(1, this.done / totalWork) : 1, clock.Elapsed));
}
