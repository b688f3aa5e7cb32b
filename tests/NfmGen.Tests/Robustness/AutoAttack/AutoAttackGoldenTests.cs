using NfmGen.Inference;
using NfmGen.Robustness;
using NfmGen.Robustness.AutoAttack;
using static TorchSharp.torch;

namespace NfmGen.Tests.Robustness.AutoAttack;

/// <summary>
/// The fast cascade (APGD-CE, then APGD-T) against <c>tools/autoattack_reference.py</c>'s transcription of
/// fra31/auto-attack, given the same model, points and random starts: the same points fall to each attack, and the
/// adversarial images agree: to 1e-12 in the float64 cases, where the two sides compute the same numbers; to 1e-4 in
/// float32, where sums in another order (torch 1.13's kernels, libtorch 2.10's) move the L2 attack's iterates by about
/// 6e-5 over its 100 steps.
/// </summary>
public sealed class AutoAttackGoldenTests
{
    public static TheoryData<string> Cases() => ["linf_fast", "l2_fast", "linf_fast_f64", "l2_fast_f64"];

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_cascade_fools_the_points_the_reference_fools_with_the_same_images(string name)
    {
        using var scope = NewDisposeScope();
        using var golden = GoldenAttack.Load(name);
        var draws = new Queue<Tensor>(Enumerable.Range(0, (int)golden["draws"].Longs[0]).Select(index => golden.Tensor($"draw_{index}")));
        Tensor Recorded(long[] shape)
        {
            var draw = draws.Dequeue();
            Assert.Equal(draw.shape, shape);
            return draw;
        }

        using var inference = InferenceScope.WithInputGradients(golden.Model);
        var result = AutoAttackCascade.Run(inference, golden.Model.call, golden.X, golden.Y, golden.Norm, golden.Epsilon, AutoAttackVersion.Fast,
            new AttackDraws(Recorded, Recorded));

        Assert.Empty(draws);
        golden.AssertFlags("flags_clean", result.Clean);
        golden.AssertFlags("flags_apgd-ce", result.RobustAfter[0]);
        if (golden.Has("flags_apgd-t"))
            golden.AssertFlags("flags_apgd-t", result.RobustAfter[1]);
        golden.AssertImages(result.Adversarial, float64Tolerance: 1e-12, float32Tolerance: 1e-4);
    }
}
