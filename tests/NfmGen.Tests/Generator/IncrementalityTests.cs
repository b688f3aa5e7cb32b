using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NfmGen.Generator;

namespace NfmGen.Tests.Generator;

/// <summary>An edit that does not touch a network must not make the generator redo any work for it.</summary>
public sealed class IncrementalityTests
{
    private const string Network = """
        using NfmGen;
        using TorchSharp.Modules;
        using static TorchSharp.torch;
        using static TorchSharp.torch.nn;

        namespace Lab;

        [NfmNetwork]
        public sealed partial class Net : Module<Tensor, Tensor>
        {
            [Mixable] private readonly Linear a = Linear(2, 2);
            [Layer] private readonly Linear b = Linear(2, 2);
            public Net() : base("Net") => RegisterComponents();
        }
        """;

    [Fact]
    public void UnrelatedEditLeavesEveryStepCached()
    {
        var compilation = GeneratorHarness.Compile(Network, "namespace Lab; public static class Helpers { public const int Answer = 41; }");
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        var edited = ReplaceSource(compilation, "Input1.cs", "namespace Lab; public static class Helpers { public const int Answer = 42; }");
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        var steps = result.TrackedSteps[TrackingNames.Networks].SelectMany(step => step.Outputs).ToList();
        Assert.NotEmpty(steps);
        Assert.All(steps, output => Assert.Contains(output.Reason, new[] { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged }));
        AssertEmissionCached(result);
    }

    /// <summary>
    /// A comment above a class that has a warning moves the warning but not the generated code: parsing runs again
    /// (its file changed), the model comes out equal, and emission is not redone.
    /// </summary>
    [Fact]
    public void MovingAWarningInTheNetworksOwnFileLeavesEmissionCached()
    {
        var withWarning = Network.Replace(
            "public Net() : base(\"Net\") => RegisterComponents();",
            "public Net() : base(\"Net\") => RegisterComponents();\n    public override Tensor forward(Tensor x) => b.call(a.call(x));");
        var compilation = GeneratorHarness.Compile(withWarning);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var firstLine = Assert.Single(driver.GetRunResult().Diagnostics).Location.GetLineSpan().StartLinePosition.Line;

        var edited = ReplaceSource(compilation, "Input0.cs", withWarning.Replace("[NfmNetwork]", "// A comment above the class.\n[NfmNetwork]"));
        var run = driver.RunGenerators(edited).GetRunResult();
        var result = run.Results.Single();

        Assert.Equal(IncrementalStepRunReason.Modified, result.TrackedSteps[TrackingNames.Networks].SelectMany(step => step.Outputs).Single().Reason);
        Assert.Equal(IncrementalStepRunReason.Unchanged, result.TrackedSteps[TrackingNames.Models].SelectMany(step => step.Outputs).Single().Reason);
        AssertEmissionCached(result);
        var diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("NFM017", diagnostic.Id);
        Assert.Equal(firstLine + 1, diagnostic.Location.GetLineSpan().StartLinePosition.Line);
    }

    /// <summary>The output step fed by the models (the one that writes files) reused its previous result.</summary>
    private static void AssertEmissionCached(GeneratorRunResult result)
    {
        var emission = result.TrackedOutputSteps.SelectMany(step => step.Value)
            .Where(step => step.Inputs.Any(input => input.Source.Name == TrackingNames.Models))
            .ToList();
        Assert.NotEmpty(emission);
        Assert.All(emission.SelectMany(step => step.Outputs), output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
    }

    [Fact]
    public void EditToTheNetworkRegeneratesIt()
    {
        var compilation = GeneratorHarness.Compile(Network);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        var edited = ReplaceSource(
            compilation,
            "Input0.cs",
            Network.Replace("[Layer] private readonly Linear b", "[Mixable] private readonly Linear c = Linear(2, 2);\n    [Layer] private readonly Linear b"));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        var output = result.TrackedSteps[TrackingNames.Networks].SelectMany(step => step.Outputs).Single();
        Assert.Equal(IncrementalStepRunReason.Modified, output.Reason);
        Assert.Contains("\"c\"", result.GeneratedSources.Single().SourceText.ToString());
    }

    private static Compilation ReplaceSource(Compilation compilation, string path, string source) =>
        compilation.ReplaceSyntaxTree(
            compilation.SyntaxTrees.Single(tree => tree.FilePath == path),
            CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions, path: path));
}
