using System.Diagnostics;

namespace NfmGen.Robustness;

/// <summary>Counts stages and weighted work done, and reports each step to an optional <see cref="IProgress{T}"/>.</summary>
internal sealed class ProgressTracker(IProgress<EvaluationProgress>? progress, int stageCount, double totalWork)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private string _stage = "";
    private int _stageIndex = -1;
    private double _done;

    public void BeginStage(string stage)
    {
        _stage = stage;
        _stageIndex++;
        Report();
    }

    public void Advance(double work)
    {
        _done += work;
        Report();
    }

    private void Report() =>
        progress?.Report(new EvaluationProgress(_stage, _stageIndex, stageCount, totalWork > 0 ? Math.Min(1, _done / totalWork) : 1, _clock.Elapsed));
}
