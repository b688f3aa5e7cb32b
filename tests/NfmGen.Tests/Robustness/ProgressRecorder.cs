using NfmGen.Robustness;

namespace NfmGen.Tests.Robustness;

/// <summary>Records progress reports synchronously (<see cref="Progress{T}"/> would post them to the thread pool).</summary>
internal sealed class ProgressRecorder(List<EvaluationProgress> reports) : IProgress<EvaluationProgress>
{
    public void Report(EvaluationProgress value) => reports.Add(value);
}
