using NfmGen.Inference;
using NfmGen.Robustness.AutoAttack;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

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
        var golden = NpyArray.ReadNpz(Path.Combine(RepositoryPaths.Root, "tests", "NfmGen.Tests", "Robustness", "AutoAttack", "Golden", name + ".npz"));
        var dtype = golden["x"].Type == "<f8" ? ScalarType.Float64 : ScalarType.Float32;
        using var scope = NewDisposeScope();
        var x = Tensor(golden["x"]);
        var features = x.shape[1] * x.shape[2] * x.shape[3];
        using var model = Sequential(Flatten(), Linear(features, 32, dtype: dtype), ReLU(), Linear(32, 10, dtype: dtype));
        using (no_grad())
        {
            foreach (var (parameter, key) in model.parameters().Zip(new[] { "w1", "b1", "w2", "b2" }))
                parameter.copy_(Tensor(golden[key]));
        }
        var norm = golden["norm"].Longs[0] == 0 ? AttackNorm.Linf : AttackNorm.L2;
        var y = tensor(golden["y"].Longs);

        using var inference = InferenceScope.WithInputGradients(model);
        var adversarial = new FabTargeted(inference, model.call, norm, golden["eps"].Doubles[0]).Attack(x, y, targetClasses: 9);

        using (no_grad())
        {
            var robust = model.call(adversarial).argmax(1).eq(y).logical_and(model.call(x).argmax(1).eq(y));
            Assert.Equal(golden["flags_fab-t"].Longs, robust.to_type(ScalarType.Int64).data<long>().ToArray());
        }
        var difference = (adversarial - Tensor(golden["x_adv"])).abs().max().to_type(ScalarType.Float64).item<double>();
        var tolerance = dtype == ScalarType.Float64 ? 1e-8 : 1e-4;
        Assert.True(difference < tolerance, $"the adversarial images differ from the reference's by up to {difference} (tolerance {tolerance})");
    }

    private static Tensor Tensor(NpyArray array) =>
        array.Type == "<f8" ? tensor(array.Doubles, array.Shape, ScalarType.Float64) : tensor(array.Floats, array.Shape);
}
