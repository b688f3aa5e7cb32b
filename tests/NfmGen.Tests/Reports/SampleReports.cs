using NfmGen.Reports;

namespace NfmGen.Tests.Reports;

/// <summary>Small hand-made reports whose rendered tables the tests spell out.</summary>
internal static class SampleReports
{
    /// <summary>
    /// Three rows, results given out of column order; NFM and Mixup tie on clean accuracy; NFM lacks σ 0.2 and FGSM,
    /// Mixup (from another run) has only σ 0.2.
    /// </summary>
    public static RobustnessReport Small() => new("CIFAR-10, toy",
    [
        new ReportRow("ERM", 0.946,
        [
            PerturbationResult.Fgsm(8.0 / 255, 0.3),
            PerturbationResult.WhiteNoise(0.2, 0.767),
            PerturbationResult.WhiteNoise(0.1, 0.904),
        ]),
        new ReportRow("NFM", 0.954,
        [
            PerturbationResult.SaltAndPepper(0.02, 0.919),
            PerturbationResult.WhiteNoise(0.1, 0.95),
        ]),
        new ReportRow("Mixup", 0.9541, [PerturbationResult.WhiteNoise(0.2, 0.854)]) { Source = "run-2" },
    ]);

    /// <summary>Every perturbation kind, with CIFAR-10-C corruptions out of the data set's order.</summary>
    public static RobustnessReport AllKinds()
    {
        PerturbationResult[] Results(double shift) =>
        [
            .. new[] { 0.1, 0.2, 0.3 }.Select((s, i) => PerturbationResult.WhiteNoise(s, 0.9 - 0.15 * i - shift)),
            .. new[] { 0.02, 0.04, 0.1 }.Select((g, i) => PerturbationResult.SaltAndPepper(g, 0.85 - 0.12 * i - shift)),
            .. new[] { 2, 4, 8 }.Select((e, i) => PerturbationResult.Fgsm(e / 255.0, 0.7 - 0.2 * i - shift)),
            .. new[] { 2, 4, 8 }.Select((e, i) => PerturbationResult.Pgd(e / 255.0, 0.6 - 0.25 * i - shift / 2)),
            .. Enumerable.Range(1, 5).Select(s => PerturbationResult.CifarCorruption("fog", s, 0.93 - 0.05 * s - shift)),
            .. Enumerable.Range(1, 5).Select(s => PerturbationResult.CifarCorruption("gaussian_noise", s, 0.9 - 0.1 * s - shift)),
            .. Enumerable.Range(1, 5).Select(s => PerturbationResult.CifarCorruptionMean(s, 0.91 - 0.08 * s - shift)),
            PerturbationResult.CifarCorruptionMean(0, 0.67 - shift),
        ];

        return new RobustnessReport("All kinds", [new ReportRow("ERM", 0.94, Results(0.1)), new ReportRow("NFM", 0.95, Results(0))]);
    }
}
