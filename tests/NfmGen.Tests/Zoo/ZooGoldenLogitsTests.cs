using NfmGen.Interop;
using NfmGen.Models;
using static TorchSharp.torch;

namespace NfmGen.Tests.Zoo;

/// <summary>
/// Every zoo model computes the function of the paper's reference code (erichson/NFM; the tabular ones rtdl's), checked by its outputs, both ways.
/// No weights are committed: <c>tools/reference_models.py golden</c> (Debian's PyTorch 1.13) filled each definition
/// transcribed from that code with <see cref="DeterministicWeights"/> and wrote <c>Golden/&lt;model&gt;.json</c>: its
/// eval-mode logits on a deterministic input, and its state dict's names, shapes and checksums in PyTorch's order.
/// <list type="bullet">
/// <item>PyTorch to NfmGen: the zoo model, at the paper's size, filled by the same formula (that is, holding the
/// reference model's state dict), gives the same logits to within 1e-4.</item>
/// <item>NfmGen to PyTorch: what <see cref="PyTorchWeights.Export"/> writes for that zoo model is exactly the reference
/// model's state dict that gave those logits (every name, in PyTorch's order, with its shape and checksums, and nothing
/// else), so <c>load_state_dict(..., strict=True)</c> of that file in the transcribed definition computes the golden logits.</item>
/// </list>
/// Files that PyTorch itself wrote are imported in <c>Interop/PyTorchWeightsTests</c>.
/// </summary>
public sealed class ZooGoldenLogitsTests : IDisposable
{
    private const double Tolerance = 1e-4;

    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    public static TheoryData<string> ReferenceModels => new()
    {
        "preactresnet18", "preactresnet18-cifar100", "preact-wide-resnet18", "wide-resnet28-10", "resnet50",
        // rtdl's own MLP and ResNet (Gorishniy et al., 2021), through tools/tabular_reference.py.
        "tabular-mlp", "tabular-resnet",
    };

    [Theory]
    [MemberData(nameof(ReferenceModels))]
    public void ZooModelGivesTheReferenceCodesLogits(string reference)
    {
        using var scope = NewDisposeScope();
        var golden = GoldenLogits.Load(reference);
        using var network = FilledZooModel(golden);

        var difference = MaxDifference(Logits(network, golden), golden);

        Assert.True(difference < Tolerance, $"{reference}: max |logit difference| {difference:G3} against the reference code's (tolerance {Tolerance})");
    }

    [Theory]
    [MemberData(nameof(ReferenceModels))]
    public void ExportHoldsTheReferenceStateDictThatGaveTheLogits(string reference)
    {
        using var scope = NewDisposeScope();
        var golden = GoldenLogits.Load(reference);
        // safetensors: read back in the file's order, and quick at these sizes (the formats share the export's code path).
        var path = folder.File(reference + ".safetensors");
        using (var network = FilledZooModel(golden))
            PyTorchWeights.Export(network, path);

        var exported = PyTorchWeights.Read(path);

        Assert.Equal(golden.StateDict.Select(entry => entry.Name), exported.Keys);
        foreach (var entry in golden.StateDict)
        {
            var tensor = exported[entry.Name].to_type(ScalarType.Float64);
            Assert.Equal(entry.Shape, tensor.shape);
            // float64 sums of the same float32 values in another order: they differ only by rounding.
            var allowed = 1e-9 * Math.Max(1, entry.AbsSum);
            Assert.True(Math.Abs(tensor.sum().item<double>() - entry.Sum) <= allowed, $"{entry.Name}: sum {tensor.sum().item<double>()}, reference {entry.Sum}");
            Assert.True(Math.Abs(tensor.abs().sum().item<double>() - entry.AbsSum) <= allowed, $"{entry.Name}: sum of magnitudes {tensor.abs().sum().item<double>()}, reference {entry.AbsSum}");
        }
    }

    [Fact]
    public void TheGoldenLogitsTellHeEtAlsIdentityShortcutFromTheReferenceCodes()
    {
        // Same state dict, another function: the identity shortcuts of 5 of the 8 blocks add x instead of relu(bn1(x)).
        // That the golden data see it is what makes the test above a test of the function, not of names and shapes.
        using var scope = NewDisposeScope();
        var golden = GoldenLogits.Load("preactresnet18");
        using var heEtAl = new PreActResNet18(numClasses: 10, identity: PreActIdentity.Raw);
        DeterministicWeights.Fill(heEtAl);

        Assert.True(MaxDifference(Logits(heEtAl, golden), golden) > 0.1);
    }

    private static nn.Module<Tensor, Tensor> FilledZooModel(GoldenLogits golden)
    {
        var network = ModelZoo.Find(golden.ZooModel).Create(golden.Shape).Module;
        DeterministicWeights.Fill(network);
        return network;
    }

    private static Tensor Logits(nn.Module<Tensor, Tensor> network, GoldenLogits golden)
    {
        network.eval();
        using var noGrad = no_grad();
        return network.call(DeterministicWeights.Input(golden.InputShape));
    }

    private static double MaxDifference(Tensor logits, GoldenLogits golden)
    {
        var expected = tensor(golden.Logits.SelectMany(row => row).ToArray(), [golden.Logits.Length, golden.Logits[0].Length]);
        Assert.Equal(expected.shape, logits.shape);
        return (logits - expected).abs().max().item<float>();
    }
}
