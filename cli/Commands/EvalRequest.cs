using NfmGen.Robustness;

namespace NfmGen.Cli.Commands;

/// <summary>What <c>nfm eval</c> is asked to do, parsed and checked.</summary>
/// <param name="Run">The run folder.</param>
/// <param name="Weights">Which of the run's weights: its last or best, or a checkpoint file.</param>
/// <param name="Dataset">A dataset to test on instead of the run's, or null.</param>
/// <param name="DataPath">That dataset's folder, or null.</param>
/// <param name="Perturbations">The perturbations, or null for the test set's defaults.</param>
/// <param name="CifarC">A CIFAR-C folder to evaluate too, or null.</param>
/// <param name="ImageNetC">An ImageNet-C folder to evaluate too, or null.</param>
/// <param name="Output">The folder of the report and plot.</param>
/// <param name="Name">The report row's name, or null for the run's scheme.</param>
/// <param name="Seed">The seed of the noise and attack starts.</param>
/// <param name="Device">The device's name.</param>
/// <param name="BatchSize">Samples per evaluation batch.</param>
/// <param name="TestSamples">Evaluate only the first this many test samples, or null for all of them.</param>
internal sealed record EvalRequest(
    string Run, WeightsChoice Weights, string? Dataset, string? DataPath, IReadOnlyList<PerturbationSpec>? Perturbations, string? CifarC, string? ImageNetC,
    string Output, string? Name, long Seed, string Device, int BatchSize, int? TestSamples = null);
