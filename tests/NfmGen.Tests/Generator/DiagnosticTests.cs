using Microsoft.CodeAnalysis;

namespace NfmGen.Tests.Generator;

/// <summary>Each misuse of the DSL gets its diagnostic, on the declaration that causes it, and never a crash.</summary>
public sealed class DiagnosticTests
{
    private const string Usings = """
        using NfmGen;
        using TorchSharp.Modules;
        using TorchSharp.Utils;
        using static TorchSharp.torch;
        using static TorchSharp.torch.nn;

        """;

    [Fact]
    public void ClassNotPartial() => AssertSingle("NFM001", """
        [NfmNetwork]
        public sealed class [|Net|] : Module<Tensor, Tensor>
        {
            [Layer] private readonly Linear a = Linear(2, 2);
            public Net() : base("Net") => RegisterComponents();
            public override Tensor forward(Tensor x) => a.call(x);
        }
        """);

    [Fact]
    public void NotATensorModule() => AssertSingle("NFM002", """
        [NfmNetwork]
        public sealed partial class [|Net|] : Module<Tensor, Tensor, Tensor>
        {
            [Layer] private readonly Linear a = Linear(2, 2);
            public Net() : base("Net") => RegisterComponents();
            public override Tensor forward(Tensor x, Tensor y) => a.call(x);
        }
        """);

    [Fact]
    public void LayerFieldOfWrongType() => AssertSingle("NFM003", """
        [NfmNetwork]
        public sealed partial class Net : Module<Tensor, Tensor>
        {
            [Layer] private readonly Linear a = Linear(2, 2);
            [Layer] private readonly int [|size|] = 3;
            public Net() : base("Net") => RegisterComponents();
        }
        """);

    [Fact]
    public void StaticLayerField() => AssertSingle("NFM003", """
        [NfmNetwork]
        public sealed partial class Net : Module<Tensor, Tensor>
        {
            [Layer] private static readonly Linear [|shared|] = Linear(2, 2);
            public Net() : base("Net") => RegisterComponents();
        }
        """);

    [Fact]
    public void LayerMethodWithWrongSignature() => AssertSingle("NFM004", """
        [NfmNetwork]
        public sealed partial class Net : Module<Tensor, Tensor>
        {
            [Layer] private readonly Linear a = Linear(2, 2);
            [Layer] private static Tensor [|Twice|](Tensor x, Tensor y) => x + y;
            public Net() : base("Net") => RegisterComponents();
        }
        """);

    [Fact]
    public void GenericLayerMethod() => AssertSingle("NFM004", """
        [NfmNetwork]
        public sealed partial class Net : Module<Tensor, Tensor>
        {
            [Layer] private readonly Linear a = Linear(2, 2);
            [Layer] private static Tensor [|Identity|]<T>(Tensor x) => x;
            public Net() : base("Net") => RegisterComponents();
        }
        """);

    [Fact]
    public void LayerMethodReturningNullableTensor() => AssertSingle("NFM004", """
        [NfmNetwork]
        public sealed partial class Net : Module<Tensor, Tensor>
        {
            [Layer] private readonly Linear a = Linear(2, 2);
            [Layer] private static Tensor? [|MaybeNull|](Tensor x) => x;
            public Net() : base("Net") => RegisterComponents();
        }
        """, expectedMessagePart: "returns 'Tensor?'");

    [Fact]
    public void NoLayersReportedOnTheAttributedDeclaration() => AssertSingle("NFM005", """
        public sealed partial class Net
        {
            private readonly Linear a = Linear(2, 2);
            public override Tensor forward(Tensor x) => a.call(x);
        }

        [NfmNetwork]
        public sealed partial class [|Net|] : Module<Tensor, Tensor>
        {
            public Net() : base("Net") => RegisterComponents();
        }
        """);

    [Fact]
    public void GenericNetworkReportedOnTheAttributedDeclaration() => AssertSingle("NFM009", """
        public sealed partial class Net<T>
        {
            public Net() : base("Net") => RegisterComponents();
        }

        [NfmNetwork]
        public sealed partial class [|Net|]<T> : Module<Tensor, Tensor>
        {
            [Layer] private readonly Linear a = Linear(2, 2);
        }
        """);

    [Fact]
    public void NoLayers() => AssertSingle("NFM005", """
        [NfmNetwork]
        public sealed partial class [|Net|] : Module<Tensor, Tensor>
        {
            private readonly Linear a = Linear(2, 2);
            public Net() : base("Net") => RegisterComponents();
            public override Tensor forward(Tensor x) => a.call(x);
        }
        """);

    [Fact]
    public void NoEligibleMixPoint() => AssertSingle("NFM006", """
        [NfmNetwork(MixInput = false)]
        public sealed partial class [|Net|] : Module<Tensor, Tensor>
        {
            [Layer] private readonly Linear a = Linear(2, 2);
            public Net() : base("Net") => RegisterComponents();
        }
        """);

    [Fact]
    public void MixableLastLayerWarnsAndStillGenerates()
    {
        var run = AssertSingle("NFM007", """
            [NfmNetwork]
            public sealed partial class Net : Module<Tensor, Tensor>
            {
                [Layer] private readonly Linear a = Linear(2, 2);
                [Mixable] private readonly Linear [|b|] = Linear(2, 2);
                public Net() : base("Net") => RegisterComponents();
            }
            """);
        Assert.Equal(DiagnosticSeverity.Warning, run.GeneratorDiagnostics.Single().Severity);
        Assert.Single(run.Sources);
        Assert.Empty(run.OutputProblems);
    }

    [Fact]
    public void LayersInSeveralPartialDeclarations() => AssertSingle("NFM008", """
        [NfmNetwork]
        public sealed partial class Net : Module<Tensor, Tensor>
        {
            [Layer] private readonly Linear a = Linear(2, 2);
            public Net() : base("Net") => RegisterComponents();
        }

        public sealed partial class Net
        {
            [Layer] private readonly Linear [|b|] = Linear(2, 2);
        }
        """);

    [Fact]
    public void GenericNetwork() => AssertSingle("NFM009", """
        [NfmNetwork]
        public sealed partial class [|Net|]<T> : Module<Tensor, Tensor>
        {
            [Layer] private readonly Linear a = Linear(2, 2);
            public Net() : base("Net") => RegisterComponents();
        }
        """);

    [Fact]
    public void UserWrittenForwardToClashes() => AssertSingle("NFM010", """
        [NfmNetwork]
        public sealed partial class Net : Module<Tensor, Tensor>
        {
            [Layer] private readonly Linear a = Linear(2, 2);
            public Net() : base("Net") => RegisterComponents();
            public Tensor [|ForwardTo|](Tensor x) => x;
        }
        """);

    [Fact]
    public void UserMemberNamedLikeTheGeneratedRegistrationFlagClashes() => AssertSingle("NFM010", """
        [NfmNetwork]
        public sealed partial class Net : Module<Tensor, Tensor>
        {
            [Layer] private readonly Linear a = Linear(2, 2);
            private bool [|nfmComponentsRegistered|];
            public Net() : base("Net") => RegisterComponents();
        }
        """);

    [Fact]
    public void ContainingTypeNotPartial() => AssertSingle("NFM011", """
        public static class [|Outer|]
        {
            [NfmNetwork]
            public sealed partial class Net : Module<Tensor, Tensor>
            {
                [Layer] private readonly Linear a = Linear(2, 2);
                public Net() : base("Net") => RegisterComponents();
            }
        }
        """);

    [Fact]
    public void ConstructorNeverRegistersComponents()
    {
        var run = AssertSingle("NFM012", """
            [NfmNetwork]
            public sealed partial class [|Net|] : Module<Tensor, Tensor>
            {
                [Layer] private readonly Linear a = Linear(2, 2);
                public Net() : base("Net") { }
            }
            """);
        Assert.Single(run.Sources);
    }

    [Fact]
    public void ParameterInGetOnlyAutoProperty() => AssertSingle("NFM013", """
        [NfmNetwork]
        public sealed partial class Net : Module<Tensor, Tensor>
        {
            [Layer] private readonly Linear a = Linear(2, 2);
            public Parameter [|Scale|] { get; } = Parameter(ones(1));
            public Net() : base("Net") => RegisterComponents();
        }
        """);

    [Fact]
    public void BufferInAutoPropertyWithPrivateSetter() => AssertSingle("NFM013", """
        [NfmNetwork]
        public sealed partial class Net : Module<Tensor, Tensor>
        {
            [Layer] private readonly Linear a = Linear(2, 2);
            public Tensor [|Mean|] { get; private set; } = zeros(2);
            public Net() : base("Net") => RegisterComponents();
        }
        """);

    [Fact]
    public void BufferInPropertyUsingTheFieldKeyword()
    {
        var run = AssertSingle("NFM013", """
            [NfmNetwork]
            public sealed partial class Net : Module<Tensor, Tensor>
            {
                [Layer] private readonly Linear a = Linear(2, 2);
                private Tensor [|Mean|] { get => field; set => field = value.detach(); } = zeros(2);
                public Net() : base("Net") => RegisterComponents();
            }
            """);
        // 'field' parsed as the keyword: the input's only error is the forward the generator did not write (CS0534).
        Assert.DoesNotContain(run.Input.GetDiagnostics(), diagnostic => diagnostic.Severity == DiagnosticSeverity.Error && diagnostic.Id != "CS0534");
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("stats.mean", "contains '.'")]
    [InlineData("a", "is already the name of 'a'")]
    public void InvalidComponentName(string name, string problem) => AssertSingle("NFM014", $$"""
        [NfmNetwork]
        public sealed partial class Net : Module<Tensor, Tensor>
        {
            [Layer] private readonly Linear a = Linear(2, 2);
            [[|ComponentName(Name = "{{name}}")|]] private readonly Tensor mean = zeros(2);
            public Net() : base("Net") => RegisterComponents();
        }
        """, expectedMessagePart: problem);

    [Fact]
    public void AttributeOnTwoPartialDeclarationsGeneratesOnce()
    {
        var run = GeneratorHarness.Run(Usings + """
            [NfmNetwork]
            public sealed partial class Net : Module<Tensor, Tensor>
            {
                [Layer] private readonly Linear a = Linear(2, 2);
                public Net() : base("Net") => RegisterComponents();
            }

            [NfmNetwork]
            public sealed partial class Net
            {
            }
            """);

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Single(run.Sources);
        Assert.Equal(["CS0579"], run.OutputProblems.Select(diagnostic => diagnostic.Id));
    }

    [Fact]
    public void NetworkDerivedFromANetwork() => AssertSingle("NFM015", """
        [NfmNetwork]
        public partial class Base : Module<Tensor, Tensor>
        {
            [Layer] private readonly Linear a = Linear(2, 2);
            public Base() : base("Base") => RegisterComponents();
            protected Base(string name) : base(name) => RegisterComponents();
        }

        [NfmNetwork]
        public sealed partial class [|Derived|] : Base
        {
            [Layer] private readonly Linear b = Linear(2, 2);
            public Derived() : base("Derived") => RegisterComponents();
        }
        """);

    [Fact]
    public void FileLocalNetwork() => AssertSingle("NFM016", """
        [NfmNetwork]
        file sealed partial class [|Net|] : Module<Tensor, Tensor>
        {
            [Layer] private readonly Linear a = Linear(2, 2);
            public Net() : base("Net") => RegisterComponents();
        }
        """);

    [Fact]
    public void HandWrittenForwardWarnsAndStillGenerates()
    {
        var run = AssertSingle("NFM017", """
            [NfmNetwork]
            public sealed partial class Net : Module<Tensor, Tensor>
            {
                [Mixable] private readonly Linear a = Linear(2, 2);
                [Layer] private readonly Linear b = Linear(2, 2);
                public Net() : base("Net") => RegisterComponents();
                public override Tensor [|forward|](Tensor x) => b.call(x);
            }
            """, expectedMessagePart: "Network 'Net' declares its own forward: training runs the declared layer chain (ForwardMixed");
        Assert.Equal(DiagnosticSeverity.Warning, run.GeneratorDiagnostics.Single().Severity);
        Assert.Single(run.Sources);
        Assert.Contains("HasCustomForward: true", run.Sources.Single().SourceText.ToString());
        Assert.Empty(run.OutputProblems);
    }

    /// <summary>
    /// Diagnostics are located in the compilation's own syntax tree, which is what lets the compiler apply
    /// <c>#pragma warning disable</c> to them (the test networks in Generator/Networks rely on it in the build).
    /// </summary>
    [Fact]
    public void DiagnosticsAreLocatedInTheSyntaxTreeSoThatPragmasApply()
    {
        var run = GeneratorHarness.Run(Usings + """
            [NfmNetwork]
            public sealed partial class Net : Module<Tensor, Tensor>
            {
                [Layer] private readonly Linear a = Linear(2, 2);
                public Net() : base("Net") => RegisterComponents();
                public override Tensor forward(Tensor x) => a.call(x);
            }
            """);

        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Same(run.Input.SyntaxTrees.Single(tree => tree.FilePath == "Input0.cs"), diagnostic.Location.SourceTree);
    }

    [Fact]
    public void ComputedLayerProperty() => AssertSingle("NFM018", """
        [NfmNetwork]
        public sealed partial class Net : Module<Tensor, Tensor>
        {
            [Layer] private readonly Linear a = Linear(2, 2);
            [Layer] private Linear [|Output|] => Linear(2, 2);
            public Net() : base("Net") => RegisterComponents();
        }
        """);

    [Fact]
    public void PropertyWithABodyOverAField() => AssertSingle("NFM018", """
        [NfmNetwork]
        public sealed partial class Net : Module<Tensor, Tensor>
        {
            private readonly Linear a = Linear(2, 2);
            [Layer] private Linear [|A|] { get { return a; } }
            public Net() : base("Net") => RegisterComponents();
        }
        """);

    [Fact]
    public void NullableMixableLayer() => AssertSingle("NFM019", """
        [NfmNetwork]
        public sealed partial class Net : Module<Tensor, Tensor>
        {
            [Mixable] private readonly Linear? [|hidden|];
            [Layer] private readonly Linear output = Linear(2, 2);
            public Net() : base("Net") => RegisterComponents();
        }
        """);

    [Fact]
    public void MixableLayerNamedInput() => AssertSingle("NFM020", """
        [NfmNetwork]
        public sealed partial class Net : Module<Tensor, Tensor>
        {
            [Mixable] private readonly Linear [|input|] = Linear(2, 2);
            [Layer] private readonly Linear output = Linear(2, 2);
            public Net() : base("Net") => RegisterComponents();
        }
        """);

    [Fact]
    public void LayerNamedInputThatIsNotMixableIsAccepted()
    {
        var run = GeneratorHarness.Run(Usings + """
            [NfmNetwork]
            public sealed partial class Net : Module<Tensor, Tensor>
            {
                [Layer] private readonly Linear input = Linear(2, 2);
                [Mixable] private readonly Linear hidden = Linear(2, 2);
                [Layer] private readonly Linear output = Linear(2, 2);
                public Net() : base("Net") => RegisterComponents();
            }
            """);

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Contains("MixPoints: new[] { \"input\", \"hidden\" }", run.Sources.Single().SourceText.ToString());
    }

    [Fact]
    public void UserMemberNamedModuleDoesNotClashWithTheGeneratedInterfaceMember()
    {
        var run = GeneratorHarness.Run(Usings + """
            [NfmNetwork]
            public sealed partial class Net : Module<Tensor, Tensor>
            {
                [Mixable] private readonly Linear hidden = Linear(2, 2);
                [Layer] private readonly Linear output = Linear(2, 2);
                public string Module => "the user's own";
                public Net() : base("Net") => RegisterComponents();
            }
            """);

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.OutputProblems);
        Assert.Contains("global::NfmGen.INfmNetwork.Module => this;", run.Sources.Single().SourceText.ToString());
    }

    [Fact]
    public void EveryBadLayerIsReportedInDeclarationOrderBeforeTheRulesOnTheClass()
    {
        var run = GeneratorHarness.Run(Usings + """
            [NfmNetwork(MixInput = false)]
            public sealed partial class Net : Module<Tensor, Tensor>
            {
                [Mixable] private readonly Linear? first;
                [Layer] private Linear Second => Linear(2, 2);
                [Mixable] private readonly Linear input = Linear(2, 2);
                [Layer] private static int Third(Tensor x) => 0;
                public Net() : base("Net") => RegisterComponents();
            }
            """);

        Assert.Equal(["NFM019", "NFM018", "NFM020", "NFM004"], run.GeneratorDiagnostics.Select(diagnostic => diagnostic.Id));
        AssertOnlyAStandIn(run);
    }

    [Fact]
    public void ABadLayerDoesNotHideAClashOrAddTheCompilersMissingForward()
    {
        var run = GeneratorHarness.Run(Usings + """
            [NfmNetwork]
            public sealed partial class Net : Module<Tensor, Tensor>
            {
                [Mixable] private readonly Linear input = Linear(2, 2);
                [Layer] private readonly Linear ForwardTo = Linear(2, 2);
                [Layer] private readonly Linear output = Linear(2, 2);
                public Net() : base("Net") => RegisterComponents();
            }
            """);

        Assert.Equal([("NFM020", "input"), ("NFM010", "ForwardTo")],
            run.GeneratorDiagnostics.Select(diagnostic => (diagnostic.Id, run.Input.SyntaxTrees.First().GetText().ToString(diagnostic.Location.SourceSpan))));
        AssertOnlyAStandIn(run);
    }

    [Fact]
    public void AStoppedNetworkWithItsOwnForwardGetsNoStandIn()
    {
        var run = GeneratorHarness.Run(Usings + """
            [NfmNetwork]
            public sealed partial class Net : Module<Tensor, Tensor>
            {
                [Mixable] private readonly Linear input = Linear(2, 2);
                [Layer] private readonly Linear output = Linear(2, 2);
                public Net() : base("Net") => RegisterComponents();
                public override Tensor forward(Tensor x) => output.call(input.call(x));
            }
            """);

        Assert.Equal(["NFM020"], run.GeneratorDiagnostics.Select(diagnostic => diagnostic.Id));
        Assert.Empty(run.Sources);
        Assert.Empty(run.OutputProblems);
    }

    [Fact]
    public void ErrorsStopGenerationAndAreAllReported()
    {
        var run = GeneratorHarness.Run(Usings + """
            [NfmNetwork]
            public sealed partial class Net : Module<Tensor, Tensor>
            {
                [Layer] private readonly int first = 1;
                [Layer] private static int Second(Tensor x) => 0;
                public Net() : base("Net") => RegisterComponents();
            }
            """);

        Assert.Equal(["NFM003", "NFM004"], run.GeneratorDiagnostics.Select(diagnostic => diagnostic.Id));
        AssertOnlyAStandIn(run);
    }

    /// <summary>
    /// A stopped generation emits only the stand-in <c>forward</c>: the build reports the NFM errors and nothing that
    /// only follows from the missing generated code (CS0534 "does not implement forward").
    /// </summary>
    private static void AssertOnlyAStandIn(GeneratorRun run)
    {
        var source = Assert.Single(run.Sources).SourceText.ToString();
        Assert.Contains("public override global::TorchSharp.torch.Tensor forward(global::TorchSharp.torch.Tensor input) =>", source);
        Assert.DoesNotContain("INfmNetwork", source);
        Assert.DoesNotContain(run.OutputProblems, problem => problem.Severity == DiagnosticSeverity.Error);
    }

    /// <summary>
    /// Asserts that the generator reports exactly one diagnostic, <paramref name="id"/>, located exactly on the span
    /// that the declaration marks as <c>[|...|]</c> (Roslyn's test markup).
    /// </summary>
    private static GeneratorRun AssertSingle(string id, string markedDeclaration, string? expectedMessagePart = null)
    {
        var open = markedDeclaration.IndexOf("[|", StringComparison.Ordinal);
        var close = markedDeclaration.IndexOf("|]", StringComparison.Ordinal);
        var expectedText = markedDeclaration[(open + 2)..close];
        var source = Usings + markedDeclaration.Remove(close, 2).Remove(open, 2);
        var run = GeneratorHarness.Run(source);

        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(Usings.Length + open, diagnostic.Location.SourceSpan.Start);
        Assert.Equal(expectedText, source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        Assert.Equal("Input0.cs", diagnostic.Location.GetLineSpan().Path);
        var message = diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains(expectedMessagePart ?? expectedText.TrimStart('@'), message);
        return run;
    }
}
