using NfmGen.Interop;
using NfmGen.Tests.Mixing;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NfmGen.Tests.Interop;

/// <summary>Weights saved by a TorchSharp module that registers its parts by reflection load into a generated network.</summary>
public sealed partial class TorchSharpWeightsTests
{
    /// <summary>A plain TorchSharp module: reflection registers the auto-property under its backing field's name.</summary>
    private sealed class ReflectionNet : Module<Tensor, Tensor>
    {
        private readonly Linear head;

        public ReflectionNet() : base(nameof(ReflectionNet))
        {
            Embed = Linear(2, 4);
            head = Linear(4, 3);
            RegisterComponents();
        }

        public Linear Embed { get; }

        public override Tensor forward(Tensor input) => head.call(Embed.call(input));
    }

    /// <summary>The same network declared for the generator, which registers the property as <c>Embed</c>.</summary>
    [NfmNetwork]
    private sealed partial class GeneratedNet : Module<Tensor, Tensor>
    {
        [Mixable] public Linear Embed { get; }
        [Layer] private readonly Linear head;

        public GeneratedNet() : base(nameof(GeneratedNet))
        {
            Embed = Linear(2, 4);
            head = Linear(4, 3);
            RegisterComponents();
        }
    }

    [Fact]
    public void WeightsSavedByAReflectionRegisteredModuleLoadIntoAGeneratedNetwork()
    {
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "reflection.dat");
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var saved = new ReflectionNet();
        saved.save(path);
        using var network = new GeneratedNet();
        var x = randn(5, 2);

        Assert.Contains("<Embed>k__BackingField.weight", saved.state_dict().Keys);
        Assert.Contains("Embed.weight", network.state_dict().Keys);
        Assert.ThrowsAny<ArgumentException>(() => network.load(path)); // TorchSharp loads by name
        TorchSharpWeights.Load(network, path);

        TensorAssert.Identical(network.call(x), saved.call(x));
    }

    [Theory]
    [InlineData("<Embed>k__BackingField.weight", "Embed.weight")]
    [InlineData("blocks.0.<Stem>k__BackingField.<Conv>k__BackingField.bias", "blocks.0.Stem.Conv.bias")]
    [InlineData("head.weight", "head.weight")]
    public void BackingFieldSegmentsTakeTheirPropertysName(string key, string expected) =>
        Assert.Equal(expected, TorchSharpWeights.MemberName(key));

    [Fact]
    public void AFileThatDoesNotFitNamesTheKeys()
    {
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "other.dat");
        using (var other = Sequential(("Embed", Linear(2, 4))))
            other.save(path);
        using var network = new GeneratedNet();

        var error = Assert.Throws<InvalidDataException>(() => TorchSharpWeights.Load(network, path));
        Assert.Contains(path, error.Message);
        Assert.Contains("head.weight", error.Message);
    }

    [Fact]
    public void AFileInAnotherFormatIsRefusedNamingIt()
    {
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "garbage.dat");
        File.WriteAllBytes(path, [1, 3, (byte)'a', 0xff]);

        var error = Assert.Throws<InvalidDataException>(() => TorchSharpWeights.Read(path));
        Assert.StartsWith($"{path} is not a state dict saved with TorchSharp's Module.save", error.Message);
    }
}
