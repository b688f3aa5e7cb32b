using NfmGen.Robustness.AutoAttack;
using static TorchSharp.torch;

namespace NfmGen.Tests.Robustness.AutoAttack;

/// <summary>
/// The Square Attack against <c>tools/autoattack_reference.py</c>'s transcription of fra31/auto-attack's, given the
/// same model, points and stream of uniform draws (1,000 queries): the same points fall, with the same images (1e-12 in
/// float64, 1e-4 in float32), and the draws are used up exactly as the reference used them.
/// </summary>
public sealed class SquareGoldenTests
{
    public static TheoryData<string> Cases() => ["square_linf_f64", "square_l2_f64", "square_linf", "square_l2"];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Square_fools_the_points_the_reference_fools_with_the_same_images(string name)
    {
        using var scope = NewDisposeScope();
        using var golden = GoldenAttack.Load(name);
        var stream = golden.Tensor("stream");
        long used = 0;
        Tensor Uniform(long[] shape)
        {
            var count = shape.Aggregate(1L, (a, b) => a * b);
            Assert.True(used + count <= stream.shape[0], $"the attack draws more than the reference's {stream.shape[0]} numbers");
            var draw = stream.narrow(0, used, count).reshape(shape);
            used += count;
            return draw;
        }

        var square = new SquareAttack(golden.Model.call, golden.Norm, golden.Epsilon, Uniform, (int)golden["queries"].Longs[0]);
        var adversarial = square.Attack(golden.X, golden.Y);

        Assert.Equal(stream.shape[0], used);
        golden.AssertRobust("flags_square", adversarial);
        golden.AssertImages(adversarial, float64Tolerance: 1e-12, float32Tolerance: 1e-4);
    }
}
