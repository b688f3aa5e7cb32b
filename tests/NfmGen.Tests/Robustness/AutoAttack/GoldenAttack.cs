using NfmGen.Robustness.AutoAttack;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NfmGen.Tests.Robustness.AutoAttack;

/// <summary>
/// One case that <c>tools/autoattack_reference.py golden</c> wrote to <c>Golden/&lt;case&gt;.npz</c>: its arrays, and
/// the reference's two-layer network, points, labels and budget rebuilt from them in the case's dtype. Its tensors live
/// in the caller's dispose scope; disposing it frees the network.
/// </summary>
internal sealed class GoldenAttack : IDisposable
{
    private readonly Dictionary<string, NpyArray> arrays;

    private GoldenAttack(string name)
    {
        arrays = NpyArray.ReadNpz(Path.Combine(RepositoryPaths.Root, "tests", "NfmGen.Tests", "Robustness", "AutoAttack", "Golden", name + ".npz"));
        DType = arrays["x"].Type == "<f8" ? ScalarType.Float64 : ScalarType.Float32;
        X = Tensor("x");
        Y = tensor(arrays["y"].Longs);
        Model = Sequential(Flatten(), Linear(X.shape[1] * X.shape[2] * X.shape[3], 32, dtype: DType), ReLU(), Linear(32, 10, dtype: DType));
        using (no_grad())
        {
            foreach (var (parameter, key) in Model.parameters().Zip(new[] { "w1", "b1", "w2", "b2" }))
                parameter.copy_(Tensor(key));
        }
    }

    public static GoldenAttack Load(string name) => new(name);

    public ScalarType DType { get; }

    public Sequential Model { get; }

    /// <summary>The points, <c>[N, 3, S, S]</c>.</summary>
    public Tensor X { get; }

    /// <summary>Their labels (a quarter of them not the model's prediction).</summary>
    public Tensor Y { get; }

    public AttackNorm Norm => arrays["norm"].Longs[0] == 0 ? AttackNorm.Linf : AttackNorm.L2;

    public double Epsilon => arrays["eps"].Doubles[0];

    public NpyArray this[string key] => arrays[key];

    public bool Has(string key) => arrays.ContainsKey(key);

    /// <summary>The array <paramref name="key"/> as a tensor in its own dtype.</summary>
    public Tensor Tensor(string key) => arrays[key] is var array && array.Type == "<f8"
        ? tensor(array.Doubles, array.Shape, ScalarType.Float64)
        : tensor(array.Floats, array.Shape);

    /// <summary>Asserts that <paramref name="robust"/> (bool, one per point) is the reference's <paramref name="key"/>.</summary>
    public void AssertFlags(string key, Tensor robust) =>
        Assert.Equal(arrays[key].Longs, robust.to_type(ScalarType.Int64).data<long>().ToArray());

    /// <summary>Asserts that the points still classified correctly after <paramref name="adversarial"/> are the reference's <paramref name="key"/>.</summary>
    public void AssertRobust(string key, Tensor adversarial)
    {
        using var noGrad = no_grad();
        AssertFlags(key, Model.call(adversarial).argmax(1).eq(Y).logical_and(Model.call(X).argmax(1).eq(Y)));
    }

    /// <summary>Asserts that <paramref name="adversarial"/> is the reference's <c>x_adv</c> to the tolerance of the case's dtype.</summary>
    public void AssertImages(Tensor adversarial, double float64Tolerance, double float32Tolerance)
    {
        var difference = (adversarial - Tensor("x_adv")).abs().max().to_type(ScalarType.Float64).item<double>();
        var tolerance = DType == ScalarType.Float64 ? float64Tolerance : float32Tolerance;
        Assert.True(difference < tolerance, $"the adversarial images differ from the reference's by up to {difference} (tolerance {tolerance})");
    }

    public void Dispose() => Model.Dispose();
}
