using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using NfmGen.Generator.Parsing;

namespace NfmGen.Generator;

/// <summary>
/// Emits the split forward passes, metadata and component registration of every <c>[NfmNetwork]</c> class.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class NfmNetworkGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var networks = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownTypes.NetworkAttribute,
                predicate: static (node, _) => node is ClassDeclarationSyntax,
                transform: static (context, cancellationToken) => NetworkParser.Parse(context, cancellationToken))
            .WithTrackingName(TrackingNames.Networks);

        // Two outputs: diagnostics carry locations, which move with every edit above them; the model has none, so
        // emission runs again only when the generated code would change.
        var models = networks
            .Where(static result => result.Model is not null)
            .Select(static (result, _) => result.Model!)
            .WithTrackingName(TrackingNames.Models);
        var standIns = networks
            .Where(static result => result.StandIn is not null)
            .Select(static (result, _) => result.StandIn!)
            .WithTrackingName(TrackingNames.StandIns);
        var diagnostics = networks
            .Select(static (result, _) => result.Diagnostics)
            .WithTrackingName(TrackingNames.Diagnostics);

        context.RegisterSourceOutput(models, static (output, model) =>
            output.AddSource(model.HintName, SourceText.From(NetworkEmitter.Emit(model), Encoding.UTF8)));
        context.RegisterSourceOutput(standIns, static (output, standIn) =>
            output.AddSource(standIn.HintName, SourceText.From(NetworkEmitter.Emit(standIn), Encoding.UTF8)));
        // Reporting looks the syntax tree up again, so that #pragma warning disable applies (a location by file path
        // alone is outside every tree). It reruns on every edit, but only walks a short list.
        context.RegisterSourceOutput(diagnostics.Combine(context.CompilationProvider), static (output, input) =>
        {
            var (diagnostics, compilation) = input;
            foreach (var diagnostic in diagnostics)
                output.ReportDiagnostic(diagnostic.ToDiagnostic(compilation));
        });
    }
}
