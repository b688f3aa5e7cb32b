using NfmGen.Robustness.AutoAttack;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NfmGen.Tests.Robustness.AutoAttack;

/// <summary>
/// The Square Attack against <c>tools/autoattack_reference.py</c>'s transcription of fra31/auto-attack's, given the
/// same model, points and stream of uniform draws (1,000 queries): the same points fall, with the same images, and the
/// draws are used up exactly as the reference used them.
/// </summary>
public sealed class SquareGoldenTests
{
    public static TheoryData<string> Cases() => ["square_linf_f64", "square_l2_f64", "square_linf", "square_l2"];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Square_fools_the_points_the_reference_fools_with_the_same_images(string name)
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
        var stream = Tensor(golden["stream"]);
        long used = 0;
        Tensor Uniform(long[] shape)
        {
            var count = shape.Aggregate(1L, (a, b) => a * b);
            Assert.True(used + count <= stream.shape[0], $"the attack draws more than the reference's {stream.shape[0]} numbers");
            var draw = stream.narrow(0, used, count).reshape(shape);
            used += count;
            return draw;
        }
        var norm = golden["norm"].Longs[0] == 0 ? AttackNorm.Linf : AttackNorm.L2;
        var y = tensor(golden["y"].Longs);

        var square = new SquareAttack(model.call, norm, golden["eps"].Doubles[0], Uniform, (int)golden["queries"].Longs[0]);
        var adversarial = square.Attack(x, y);

        Assert.Equal(stream.shape[0], used);
        using (no_grad())
        {
            var robust = model.call(adversarial).argmax(1).eq(y).logical_and(model.call(x).argmax(1).eq(y));
            Assert.Equal(golden["flags_square"].Longs, robust.to_type(ScalarType.Int64).data<long>().ToArray());
        }
        var difference = (adversarial - Tensor(golden["x_adv"])).abs().max().to_type(ScalarType.Float64).item<double>();
        var tolerance = dtype == ScalarType.Float64 ? 1e-12 : 1e-4;
        Assert.True(difference < tolerance, $"the adversarial images differ from the reference's by up to {difference} (tolerance {tolerance})");
    }

    private static Tensor Tensor(NpyArray array) =>
        array.Type == "<f8" ? tensor(array.Doubles, array.Shape, ScalarType.Float64) : tensor(array.Floats, array.Shape);
}
