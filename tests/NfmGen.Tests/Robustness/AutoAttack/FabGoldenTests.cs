using NfmGen.Inference;
using NfmGen.Robustness.AutoAttack;
using static TorchSharp.torch;

namespace NfmGen.Tests.Robustness.AutoAttack;

/// <summary>
/// FAB-T against <c>tools/autoattack_reference.py</c>'s transcription of fra31/auto-attack's, with AutoAttack's settings
/// (targeted, 9 targets, one restart: it draws nothing): the same points fall, with the same images: to 1e-8 in
/// float64 (the L2 projection divides by w5 − cumsum(w²), where the last terms cancel, so sums in another order move
/// its iterates by about 1e-9 over 100 iterations; L∞ agrees to 1e-12), to 1e-4 in float32.
/// </summary>
public sealed class FabGoldenTests
{
    public static TheoryData<string> Cases() => ["fab_linf_f64", "fab_l2_f64", "fab_linf"];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fab_t_fools_the_points_the_reference_fools_with_the_same_images(string name)
    {
        using var scope = NewDisposeScope();
        using var golden = GoldenAttack.Load(name);

        using var inference = InferenceScope.WithInputGradients(golden.Model);
        var adversarial = new FabTargeted(inference, golden.Model.call, golden.Norm, golden.Epsilon).Attack(golden.X, golden.Y, targetClasses: 9);

        golden.AssertRobust("flags_fab-t", adversarial);
        golden.AssertImages(adversarial, float64Tolerance: 1e-8, float32Tolerance: 1e-4);
    }
}
