using System.Text.Json;
using NfmGen.Data;
using NfmGen.Interop;
using NfmGen.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NfmGen.Tests.Interop;

/// <summary>
/// <see cref="OnnxExport"/>: every zoo network, and a network of every known layer, run in ONNX Runtime gives NfmGen's
/// logits within 1e-4, at batch 1 and 7; what cannot be exported is refused by name.
/// </summary>
public sealed partial class OnnxExportTests : IDisposable
{
    private const double Tolerance = 1e-4;
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    public static TheoryData<string> ZooNames() => [.. ModelZoo.Names];

    [Theory]
    [MemberData(nameof(ZooNames))]
    public void Every_zoo_network_gives_its_logits_in_OnnxRuntime_at_batch_1_and_7(string name)
    {
        var model = ModelZoo.Find(name);
        var (shape, normalization) = name switch
        {
            "toy-mlp" => (new ModelShape(3, 2, 0, 16), (Normalization?)null),
            "tabular-mlp" or "tabular-resnet" => (new ModelShape(4, 7, 0, 8), null),
            "small-convnet" => (new ModelShape(10, 1, 28, 4), Normalization.FashionMnist),
            "wide-resnet28-10" => (new ModelShape(10, 3, 32, 1), Normalization.Cifar10),
            _ => (new ModelShape(10, 3, 32, 4), Normalization.Cifar10),
        };
        using var scope = NewDisposeScope();
        manual_seed(11);
        var network = model.Create(shape);
        using var module = network.Module;
        RandomiseStatistics(module);
        long[] sample = normalization is null ? [shape.InChannels] : [shape.InChannels, shape.ImageSize, shape.ImageSize];
        var path = folder.File(name + ".onnx");

        OnnxExport.Save(network, path, sample, normalization);

        var pixels = rand([7, .. sample]);
        module.eval();
        using var noGrad = no_grad();
        var expected = module.call(normalization?.Normalize(pixels) ?? pixels);
        using var onnx = new OnnxRuntimeModel(path);
        var seven = onnx.Run(pixels);
        var one = onnx.Run(pixels[..1]);
        Assert.Equal(expected.shape, seven.shape);
        AssertClose(expected, seven, $"{name} at batch 7");
        AssertClose(expected[..1], one, $"{name} at batch 1");
        Assert.True(expected.abs().max().item<float>() > 1e-2, "the logits are all near zero: the comparison would prove little");
    }

    [Fact]
    public void The_model_says_its_input_output_normalisation_and_class_names()
    {
        using var network = new SmallConvNet(numClasses: 3, inChannels: 1, width: 2, imageSize: 8);
        var path = folder.File("small.onnx");

        OnnxExport.Save(network, path, [1, 8, 8], Normalization.FashionMnist, ["cat", "dog", "emu"], new Dictionary<string, string> { ["run"] = "r1" });

        using var onnx = new OnnxRuntimeModel(path);
        var input = onnx.Inputs[OnnxExport.InputName];
        Assert.Equal([-1, 1, 8, 8], input.Dimensions);
        Assert.Equal("batch", input.SymbolicDimensions[0]);
        Assert.Equal([-1, 3], onnx.Outputs[OnnxExport.OutputName].Dimensions);
        var metadata = onnx.Metadata.CustomMetadataMap;
        Assert.Equal(["cat", "dog", "emu"], JsonSerializer.Deserialize<string[]>(metadata[OnnxExport.ClassesKey])!);
        Assert.Equal([0.2860f], JsonSerializer.Deserialize<float[]>(metadata[OnnxExport.MeanKey])!);
        Assert.Equal([0.3530f], JsonSerializer.Deserialize<float[]>(metadata[OnnxExport.StdKey])!);
        Assert.Equal(("SmallConvNet", "r1"), (metadata["network"], metadata["run"]));
        Assert.Equal("NfmGen", onnx.Metadata.ProducerName);
        Assert.Contains("pixels in [0, 1]", onnx.Metadata.Description);
        Assert.True(network.training, "export left the network in evaluation mode");
    }

    /// <summary>Every layer type <see cref="OnnxExport.KnownLayers"/> lists, with the settings whose ONNX form differs from the plain one.</summary>
    [NfmNetwork]
    private sealed partial class EveryKnownLayer : Module<Tensor, Tensor>
    {
        [Layer] private readonly Sequential features;
        [Mixable] private readonly Sequential pooled;
        [Layer] private readonly Sequential head;
        // Left null: the forward pass skips it, and so must the export.
        [Layer] private readonly Linear? optional = null;

        public EveryKnownLayer() : base(nameof(EveryKnownLayer))
        {
            // Kernels and paddings that differ by axis, and an even 'same' kernel, so that a swapped pads order or a
            // misplaced odd pixel shows.
            features = Sequential(
                Conv2d(2, 4, kernel_size: (3, 5), padding: (1, 2)), BatchNorm2d(4), LeakyReLU(0.2),
                Conv2d(4, 4, kernel_size: 3, padding: Padding.Same, dilation: 2, groups: 2, bias: false), Tanh(),
                Conv2d(4, 4, kernel_size: (2, 4), padding: Padding.Same), BatchNorm2d(4, affine: false),
                Conv2d(4, 6, kernel_size: 2, stride: 2, padding: Padding.Valid), Sigmoid(), Dropout(0.5), Identity());
            pooled = Sequential(
                MaxPool2d(kernel_size: 3, stride: 1, padding: 1, dilation: 2), AvgPool2d(kernel_size: (3, 3), stride: (1, 1), padding: (1, 0), count_include_pad: false),
                AvgPool2d(kernel_size: 3, stride: 1, padding: 1), ReLU(), AdaptiveAvgPool2d(1), Flatten());
            head = Sequential(Linear(6, 5), BatchNorm1d(5), ReLU(), Linear(5, 3, hasBias: false));
            RegisterComponents();
        }
    }

    [Fact]
    public void A_network_of_every_known_layer_gives_its_logits_and_a_null_optional_layer_is_skipped()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        using var network = new EveryKnownLayer();
        RandomiseStatistics(network);
        var path = folder.File("every.onnx");

        OnnxExport.Save(network, path, [2, 16, 16]);

        var input = randn(7, 2, 16, 16);
        network.eval();
        using var noGrad = no_grad();
        using var onnx = new OnnxRuntimeModel(path);
        AssertClose(network.call(input), onnx.Run(input), "every known layer");
    }

    /// <summary>A generated network with a method layer, whose code ONNX cannot see.</summary>
    [NfmNetwork]
    private sealed partial class MethodLayerNet : Module<Tensor, Tensor>
    {
        [Mixable] private readonly Linear hidden;
        [Layer] private static Tensor Square(Tensor x) => x.square();
        [Layer] private readonly Linear output;

        public MethodLayerNet() : base(nameof(MethodLayerNet))
        {
            hidden = Linear(2, 4);
            output = Linear(4, 2);
            RegisterComponents();
        }
    }

    /// <summary>A module of the user's own without an ONNX form.</summary>
    private sealed class Swish() : Module<Tensor, Tensor>(nameof(Swish))
    {
        public override Tensor forward(Tensor input) => input * functional.sigmoid(input);
    }

    [NfmNetwork]
    private sealed partial class UnknownModuleNet : Module<Tensor, Tensor>
    {
        [Mixable] private readonly Sequential hidden;
        [Layer] private readonly Linear output;

        public UnknownModuleNet() : base(nameof(UnknownModuleNet))
        {
            hidden = Sequential(Linear(2, 4), new Swish());
            output = Linear(4, 2);
            RegisterComponents();
        }
    }

    [Fact]
    public void What_has_no_ONNX_form_is_refused_by_name_and_nothing_is_written()
    {
        using var method = new MethodLayerNet();
        using var unknown = new UnknownModuleNet();
        using var pool = new AdaptivePool();

        var methodError = Assert.Throws<NotSupportedException>(() => OnnxExport.Save(method, folder.File("m.onnx"), [2]));
        var unknownError = Assert.Throws<NotSupportedException>(() => OnnxExport.Save(unknown, folder.File("u.onnx"), [2]));
        var poolError = Assert.Throws<NotSupportedException>(() => OnnxExport.Save(pool, folder.File("p.onnx"), [1, 8, 8]));

        Assert.Contains("its layer Square is a method, whose code ONNX cannot see; declare it as a module", methodError.Message);
        Assert.Contains("cannot export hidden.1 to ONNX: it is a Swish, which has no ONNX form here (known: Sequential, Conv2d", unknownError.Message);
        Assert.Contains("implementing IOnnxLayer", unknownError.Message);
        Assert.Contains("cannot export pool to ONNX: it pools to [2, 2]; only AdaptiveAvgPool2d(1)", poolError.Message);
        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    [NfmNetwork]
    private sealed partial class AdaptivePool : Module<Tensor, Tensor>
    {
        [Mixable] private readonly AdaptiveAvgPool2d pool;
        [Layer] private readonly Flatten flatten;

        public AdaptivePool() : base(nameof(AdaptivePool))
        {
            pool = AdaptiveAvgPool2d(2);
            flatten = Flatten();
            RegisterComponents();
        }
    }

    [Fact]
    public void He_et_al_s_identity_variant_of_PreActResNet18_exports_its_own_function()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var network = new PreActResNet18(numClasses: 10, width: 4, identity: PreActIdentity.Raw);
        RandomiseStatistics(network);
        var path = folder.File("raw.onnx");

        OnnxExport.Save(network, path, [3, 32, 32]);

        var input = randn(3, 3, 32, 32);
        network.eval();
        using var noGrad = no_grad();
        using var onnx = new OnnxRuntimeModel(path);
        AssertClose(network.call(input), onnx.Run(input), "PreActResNet18 with raw identities");
    }

    /// <summary>One layer as a network: the layer settings that have no ONNX form.</summary>
    [NfmNetwork]
    private sealed partial class OneLayer : Module<Tensor, Tensor>
    {
        [Layer] private readonly Module<Tensor, Tensor> layer;

        public OneLayer(Module<Tensor, Tensor> layer) : base(nameof(OneLayer))
        {
            this.layer = layer;
            RegisterComponents();
        }
    }

    public static TheoryData<string, Func<Module<Tensor, Tensor>>> Unsupported() => new()
    {
        { "cannot export layer to ONNX: it pads with Reflect; only zero padding", () => Conv2d(1, 1, kernel_size: 3, padding: 1, padding_mode: PaddingModes.Reflect) },
        { "it keeps no running statistics (track_running_stats: false)", () => BatchNorm2d(1, track_running_stats: false) },
        { "it rounds its output size up (ceil_mode: true)", () => MaxPool2d(kernel_size: 3, stride: 2, ceil_mode: true) },
        { "it rounds its output size up (ceil_mode: true)", () => AvgPool2d(kernel_size: 3, stride: 2, ceil_mode: true) },
        { "it divides by 4 (divisor_override)", () => AvgPool2d(kernel_size: 2, divisor_override: 4) },
        { "it flattens dimensions 0 to -1; only Flatten(1)", () => Flatten(0) },
    };

    [Theory]
    [MemberData(nameof(Unsupported))]
    public void A_layer_setting_without_an_ONNX_form_is_refused_by_name(string message, Func<Module<Tensor, Tensor>> layer)
    {
        using var network = new OneLayer(layer());

        var error = Assert.Throws<NotSupportedException>(() => OnnxExport.Save(network, folder.File("one.onnx"), [1, 8, 8]));

        Assert.Contains(message, error.Message);
        Assert.False(File.Exists(folder.File("one.onnx")));
    }

    /// <summary>A network with a forward of its own (as NFM017 warns), which ONNX cannot see.</summary>
    private sealed class OwnForward : Module<Tensor, Tensor>, INfmNetwork
    {
        private readonly Linear hidden = Linear(2, 2);

        public OwnForward() : base(nameof(OwnForward)) => RegisterComponents();

        public NfmNetworkInfo Info { get; } = new(nameof(OwnForward), [new("hidden", LayerKind.Module, 1)], ["input", "hidden"], MixInput: true, HasCustomForward: true);

        public Module<Tensor, Tensor> Module => this;

        public override Tensor forward(Tensor input) => hidden.call(input).relu();

        public Tensor ForwardTo(int mixPoint, Tensor input) => mixPoint == 0 ? input.alias() : hidden.call(input);

        public Tensor ForwardFrom(int mixPoint, Tensor features) => mixPoint == 0 ? hidden.call(features) : features.alias();

        public Tensor ForwardMixed(int mixPoint, Tensor input, IFeatureTransform transform) => ForwardFrom(mixPoint, transform.Apply(ForwardTo(mixPoint, input)));
    }

    [Fact]
    public void A_network_with_its_own_forward_is_refused_unless_it_gives_its_ONNX_form()
    {
        using var network = new OwnForward();

        var error = Assert.Throws<NotSupportedException>(() => OnnxExport.Save(network, folder.File("own.onnx"), [2]));

        Assert.Equal("cannot export OwnForward to ONNX: it has its own forward, which ONNX cannot see; implement IOnnxLayer on it to give its form", error.Message);
    }

    [Fact]
    public void A_sample_shape_or_class_names_that_do_not_fit_are_refused_with_both_shapes()
    {
        using var network = new SmallConvNet(numClasses: 3, inChannels: 1, width: 2, imageSize: 8);

        var shape = Assert.Throws<ArgumentException>(() => OnnxExport.Save(network, folder.File("a.onnx"), [1, 12, 12]));
        var channels = Assert.Throws<ArgumentException>(() => OnnxExport.Save(network, folder.File("b.onnx"), [1, 8, 8], Normalization.Cifar10));
        var names = Assert.Throws<ArgumentException>(() => OnnxExport.Save(network, folder.File("c.onnx"), [1, 8, 8], classNames: ["a", "b"]));
        var key = Assert.Throws<ArgumentException>(() => OnnxExport.Save(network, folder.File("d.onnx"), [1, 8, 8], classNames: ["a", "b", "c"],
            metadata: new Dictionary<string, string> { [OnnxExport.ClassesKey] = "x" }));

        Assert.Contains("SmallConvNet does not take samples of shape [1, 12, 12]", shape.Message);
        Assert.Contains("a normalisation of 3 channels needs images [3, H, W] (sampleShape was [1, 8, 8])", channels.Message);
        Assert.Contains("2 class names for a network whose output is [3] per sample", names.Message);
        Assert.Contains("metadata key 'classes' is one OnnxExport writes itself", key.Message);
        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    // Batch norms fresh from construction compute the identity in inference; statistics and affine parameters drawn
    // away from it make the comparison see whether the ONNX node uses each of them, and where.
    private static void RandomiseStatistics(nn.Module module)
    {
        using var noGrad = no_grad();
        foreach (var norm in module.modules().OfType<BatchNorm>())
        {
            norm.running_mean!.copy_(randn_like(norm.running_mean) * 0.2);
            norm.running_var!.copy_(rand_like(norm.running_var) + 0.5);
            norm.weight?.copy_(rand_like(norm.weight) + 0.5);
            norm.bias?.copy_(randn_like(norm.bias) * 0.2);
        }
    }

    // 1e-4, relative to the logits' scale once that is above 1: float32 sums in another order (ONNX Runtime's
    // convolutions are not libtorch's) differ by a few units in the last place of the largest values, and ResNet-50
    // with random batch-norm statistics reaches logits near 200, where one float32 step is 1.5e-5.
    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        var scale = Math.Max(1, expected.abs().max().item<float>());
        var difference = (expected - actual).abs().max().item<float>();
        Assert.True(difference <= Tolerance * scale,
            $"{what}: ONNX Runtime's logits differ from NfmGen's by up to {difference:G3} (tolerance {Tolerance} x {scale:G3}, the largest logit or 1)");
    }
}
