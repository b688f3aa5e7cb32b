using NfmGen.Inference;
using NfmGen.Robustness;
using NfmGen.Robustness.AutoAttack;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

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
        var golden = NpyArray.ReadNpz(Path.Combine(RepositoryPaths.Root, "tests", "NfmGen.Tests", "Robustness", "AutoAttack", "Golden", name + ".npz"));
        var dtype = golden["x"].Type == "<f8" ? ScalarType.Float64 : ScalarType.Float32;
        using var scope = NewDisposeScope();
        using var model = Sequential(Flatten(), Linear(48, 32, dtype: dtype), ReLU(), Linear(32, 10, dtype: dtype));
        using (no_grad())
        {
            foreach (var (parameter, key) in model.parameters().Zip(new[] { "w1", "b1", "w2", "b2" }))
                parameter.copy_(Tensor(golden[key]));
        }
        var draws = new Queue<Tensor>(Enumerable.Range(0, (int)golden["draws"].Longs[0]).Select(index => Tensor(golden[$"draw_{index}"])));
        var norm = golden["norm"].Longs[0] == 0 ? AttackNorm.Linf : AttackNorm.L2;
        var x = Tensor(golden["x"]);
        var y = tensor(golden["y"].Longs);

        using var inference = InferenceScope.WithInputGradients(model);
        Tensor Recorded(long[] shape)
        {
            var draw = draws.Dequeue();
            Assert.Equal(draw.shape, shape);
            return draw;
        }
        var result = AutoAttackCascade.Run(inference, model.call, x, y, norm, golden["eps"].Doubles[0], AutoAttackVersion.Fast, new AttackDraws(Recorded, Recorded));

        Assert.Empty(draws);
        Assert.Equal(golden["flags_clean"].Longs, result.Clean.to_type(ScalarType.Int64).data<long>().ToArray());
        Assert.Equal(golden["flags_apgd-ce"].Longs, result.RobustAfter[0].to_type(ScalarType.Int64).data<long>().ToArray());
        if (golden.TryGetValue("flags_apgd-t", out var targeted))
            Assert.Equal(targeted.Longs, result.RobustAfter[1].to_type(ScalarType.Int64).data<long>().ToArray());
        var difference = (result.Adversarial - Tensor(golden["x_adv"])).abs().max().to_type(ScalarType.Float64).item<double>();
        var tolerance = dtype == ScalarType.Float64 ? 1e-12 : 1e-4;
        Assert.True(difference < tolerance, $"the adversarial images differ from the reference's by up to {difference} (tolerance {tolerance})");
    }

    private static Tensor Tensor(NpyArray array) =>
        array.Type == "<f8" ? tensor(array.Doubles, array.Shape, ScalarType.Float64) : tensor(array.Floats, array.Shape);
}
