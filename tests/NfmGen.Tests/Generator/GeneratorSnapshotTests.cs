using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using NfmGen.Tests.Snapshots;

namespace NfmGen.Tests.Generator;

/// <summary>The generated code of the zoo and of representative declarations, compared with reviewed snapshots.</summary>
public sealed class GeneratorSnapshotTests
{
    [Fact]
    public void PreActResNet18() =>
        VerifyGenerated(GeneratorHarness.ModelSource("Cifar/PreActResNet18.cs"), GeneratorHarness.ModelSource("Cifar/PreActBlock.cs"));

    [Fact]
    public void WideResNet() =>
        VerifyGenerated(GeneratorHarness.ModelSource("Cifar/WideResNet.cs"), GeneratorHarness.ModelSource("Cifar/WideBasicBlock.cs"));

    [Fact]
    public void ResNet50() =>
        VerifyGenerated(GeneratorHarness.ModelSource("ImageNet/ResNet50.cs"), GeneratorHarness.ModelSource("ImageNet/Bottleneck.cs"));

    [Fact]
    public void ToyMlp() => VerifyGenerated(GeneratorHarness.ModelSource("Toy/ToyMlp.cs"));

    [Fact]
    public void SmallConvNet() => VerifyGenerated(GeneratorHarness.ModelSource("Mnist/SmallConvNet.cs"));

    [Fact]
    public void NestedClassInBlockNamespace() => VerifyGenerated("""
        using NfmGen;
        using TorchSharp.Modules;
        using static TorchSharp.torch;
        using static TorchSharp.torch.nn;

        namespace Lab.Experiments
        {
            public static partial class Outer
            {
                internal partial class Inner
                {
                    [NfmNetwork]
                    public sealed partial class Net : Module<Tensor, Tensor>
                    {
                        [Mixable] private readonly Linear hidden;
                        [Layer] private readonly Linear output;

                        public Net() : base(nameof(Net))
                        {
                            hidden = Linear(4, 8);
                            output = Linear(8, 2);
                            RegisterComponents();
                        }
                    }
                }
            }
        }
        """);

    [Fact]
    public void MethodLayers() => VerifyGenerated("""
        using NfmGen;
        using TorchSharp.Modules;
        using static TorchSharp.torch;
        using static TorchSharp.torch.nn;

        [NfmNetwork]
        public partial class GlobalNet : Module<Tensor, Tensor>
        {
            private readonly Dropout dropout;
            private readonly double scale;

            [Layer] private static Tensor Flatten(Tensor x) => x.flatten(1);
            [Mixable] private Tensor Scale(Tensor x) => x * scale;
            [Layer] private readonly Linear linear;
            [Mixable] public Tensor Regularize(Tensor x) => dropout.call(x);
            [Layer] private static Tensor @checked(Tensor x) => functional.relu(x);
            [Layer] private readonly Linear head;

            public GlobalNet(double scale) : base(nameof(GlobalNet))
            {
                this.scale = scale;
                dropout = Dropout(0.1);
                linear = Linear(16, 16);
                head = Linear(16, 3);
                RegisterComponents();
            }
        }
        """);

    [Fact]
    public void PropertyLayersAndComponents() => VerifyGenerated("""
        using NfmGen;
        using TorchSharp;
        using TorchSharp.Modules;
        using TorchSharp.Utils;
        using static TorchSharp.torch;
        using static TorchSharp.torch.nn;

        namespace Lab;

        [NfmNetwork]
        internal sealed partial class PropertyNet : Module<Tensor, Tensor>
        {
            [Mixable] public Conv2d Stem { get; }
            [Layer] private Sequential? Body { get; set; }
            [Layer] private Module<Tensor, Tensor> Head { get; }
            private Dropout Regularizer { get; set => field = value ?? throw new System.ArgumentNullException(nameof(value)); }
            [ComponentName(Name = "temperature")] private readonly Parameter logTemperature;
            [ComponentName(Name = "mean \"per channel\" \\ 3")] private readonly Tensor mean;
            private Linear Unused => Head as Linear ?? throw new System.InvalidOperationException();
            private Tensor Scaled => mean * 2;

            public PropertyNet() : base(nameof(PropertyNet))
            {
                Stem = Conv2d(3, 8, 3);
                Body = Sequential(ReLU());
                Head = Sequential(Flatten(), LazyLinearStandIn());
                Regularizer = Dropout(0.1);
                logTemperature = Parameter(zeros(1));
                mean = zeros(3);
                RegisterComponents();
            }

            private static Module<Tensor, Tensor> LazyLinearStandIn() => Identity();
        }
        """);

    [Fact]
    public void TorchvisionLayout() => VerifyGenerated("""
        using NfmGen;
        using TorchSharp.Modules;
        using static TorchSharp.torch;
        using static TorchSharp.torch.nn;

        namespace Lab;

        // torchvision's AlexNet/VGG names: 'features' is also the parameter of the generated ForwardFrom.
        [NfmNetwork]
        public sealed partial class Vgg : Module<Tensor, Tensor>
        {
            [Mixable] private readonly Sequential features;
            [Layer] private readonly AdaptiveAvgPool2d avgpool;
            [Layer] private static Tensor Flatten(Tensor x) => x.flatten(1);
            [Layer] private readonly Sequential classifier;

            public Vgg() : base(nameof(Vgg))
            {
                features = Sequential(Conv2d(3, 8, 3), ReLU());
                avgpool = AdaptiveAvgPool2d(1);
                classifier = Sequential(Linear(8, 10));
                RegisterComponents();
            }
        }
        """);

    [Fact]
    public void LayersNamedLikeGeneratedLocals() => VerifyGenerated("""
        using NfmGen;
        using TorchSharp.Modules;
        using static TorchSharp.torch;
        using static TorchSharp.torch.nn;

        namespace Lab;

        [NfmNetwork]
        public sealed partial class Shadowed : Module<Tensor, Tensor>
        {
            [Layer] private readonly Linear? input;
            [Mixable] private readonly Linear x;
            [Layer] private Tensor mixPoint(Tensor h) => h * 2;
            [Mixable] private static Tensor transform(Tensor h) => h.relu();
            [Layer] private readonly Linear? features;

            public Shadowed() : base(nameof(Shadowed))
            {
                input = Linear(2, 2);
                x = Linear(2, 4);
                features = Linear(4, 2);
                RegisterComponents();
            }
        }
        """);

    [Fact]
    public void KeywordNamespaceAndClass() => VerifyGenerated("""
        using NfmGen;
        using TorchSharp.Modules;
        using static TorchSharp.torch;
        using static TorchSharp.torch.nn;

        namespace @event.Lab;

        public static partial class @static
        {
            [NfmNetwork]
            public sealed partial class @class : Module<Tensor, Tensor>
            {
                [Mixable] private readonly Linear @base;
                [Layer] private static Tensor @checked(Tensor x) => x.relu();
                [Layer] private readonly Linear output;

                public @class() : base("class")
                {
                    @base = Linear(2, 4);
                    output = Linear(4, 2);
                    RegisterComponents();
                }
            }
        }
        """);

    [Fact]
    public void NullableOblivious() => VerifyGenerated("""
        #nullable disable
        using NfmGen;
        using TorchSharp.Modules;
        using static TorchSharp.torch;
        using static TorchSharp.torch.nn;

        namespace Lab;

        // Without annotations layers must be set; parameters and buffers are registered only when set.
        [NfmNetwork]
        public sealed partial class Oblivious : Module<Tensor, Tensor>
        {
            [Mixable] private readonly Linear hidden;
            [Layer] private readonly Linear output;
            private readonly Parameter scale;
            private readonly Tensor mask;

            public Oblivious(bool scaled) : base(nameof(Oblivious))
            {
                hidden = Linear(2, 4);
                output = Linear(4, 2);
                if (scaled)
                {
                    scale = Parameter(ones(1));
                    mask = ones(4);
                }
                RegisterComponents();
            }
        }
        """);

    [Fact]
    public void MixInputFalse() => VerifyGenerated("""
        using NfmGen;
        using TorchSharp.Modules;
        using static TorchSharp.torch;
        using static TorchSharp.torch.nn;

        namespace Lab;

        [NfmNetwork(MixInput = false)]
        public sealed partial class TokenNet : Module<Tensor, Tensor>
        {
            [Mixable] private readonly Embedding embedding;
            [Layer] private static Tensor Pool(Tensor x) => x.mean([1]);
            [Layer] private readonly Linear output;

            public TokenNet() : base(nameof(TokenNet))
            {
                embedding = Embedding(100, 8);
                output = Linear(8, 2);
                RegisterComponents();
            }
        }
        """);

    [Fact]
    public void SeveralNetworksWithUserForward() => VerifyGenerated("""
        using NfmGen;
        using TorchSharp.Modules;
        using static TorchSharp.torch;
        using static TorchSharp.torch.nn;

        namespace Lab;

        [NfmNetwork]
        public sealed partial class First : Module<Tensor, Tensor>
        {
            [Layer] private readonly Linear only;

            public First() : base(nameof(First))
            {
                only = Linear(2, 2);
                RegisterComponents();
            }
        }

        [NfmNetwork]
        internal partial class Second : Module<Tensor, Tensor>
        {
            [Mixable] private readonly Linear a;
            [Layer] private readonly Linear b;

            internal Second() : base(nameof(Second))
            {
                a = Linear(2, 4);
                b = Linear(4, 2);
                RegisterComponents();
            }

            // A forward the user wrote is kept (with NFM017); the generator emits the split passes only.
            public override Tensor forward(Tensor input) => b.call(a.call(input));
        }
        """, expectedDiagnostics: ["NFM017"]);

    /// <summary>
    /// Runs the generator, checks that it reported nothing but <paramref name="expectedDiagnostics"/> and that its
    /// output compiles cleanly, and verifies each file.
    /// </summary>
    private static void VerifyGenerated(
        string source, string? companion = null, string[]? expectedDiagnostics = null, [CallerMemberName] string test = "")
    {
        var run = companion is null ? GeneratorHarness.Run(source) : GeneratorHarness.Run(source, companion);

        Assert.Equal(expectedDiagnostics ?? [], run.GeneratorDiagnostics.Select(diagnostic => diagnostic.Id));
        Assert.True(run.OutputProblems.Count == 0, string.Join("\n", run.OutputProblems));
        Assert.NotEmpty(run.Sources);
        foreach (var generated in run.Sources)
        {
            var name = $"{nameof(GeneratorSnapshotTests)}.{test}#{Path.GetFileNameWithoutExtension(generated.HintName)}";
            Snapshot.Verify(generated.SourceText.ToString(), name);
        }
    }
}
