using NfmGen.Cli.Commands;

namespace NfmGen.Cli.Sweeps;

/// <summary>
/// What one task of a sweep runs (<see cref="SweepArguments.ForTask"/>): its training, a new run in the task's run
/// folder, and the evaluation of that run, each parsed and checked as <c>nfm train</c> and <c>nfm eval</c> parse theirs.
/// </summary>
internal sealed record TaskRequest(TrainRequest Train, EvalRequest Evaluate);
