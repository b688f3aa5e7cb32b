using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using System.Text;

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

        context.RegisterSourceOutput(networks, static (output, result) =>
        {
            foreach (var diagnostic in result.Diagnostics)
                output.ReportDiagnostic(diagnostic.ToDiagnostic());
            if (result.Model is { } model)
                output.AddSource(model.HintName, SourceText.From(NetworkEmitter.Emit(model), Encoding.UTF8));
        });
    }
}
