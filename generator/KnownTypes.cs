using Microsoft.CodeAnalysis;

namespace NfmGen.Generator;

/// <summary>The TorchSharp and NfmGen types that parsing compares against, resolved once per network.</summary>
internal sealed class KnownTypes
{
    public const string NetworkAttribute = "NfmGen.NfmNetworkAttribute";

    private KnownTypes(Compilation compilation)
    {
        Tensor = compilation.GetTypeByMetadataName("TorchSharp.torch+Tensor");
        Module = compilation.GetTypeByMetadataName("TorchSharp.torch+nn+Module");
        Parameter = compilation.GetTypeByMetadataName("TorchSharp.Modules.Parameter");
        ComponentName = compilation.GetTypeByMetadataName("TorchSharp.Utils.ComponentNameAttribute");
        Layer = compilation.GetTypeByMetadataName("NfmGen.LayerAttribute");
        Mixable = compilation.GetTypeByMetadataName("NfmGen.MixableAttribute");

        var genericModule = compilation.GetTypeByMetadataName("TorchSharp.torch+nn+Module`2");
        if (genericModule is not null && Tensor is not null)
            TensorModule = genericModule.Construct(Tensor, Tensor);
    }

    public INamedTypeSymbol? Tensor { get; }
    public INamedTypeSymbol? Module { get; }
    public INamedTypeSymbol? TensorModule { get; }
    public INamedTypeSymbol? Parameter { get; }
    public INamedTypeSymbol? ComponentName { get; }
    public INamedTypeSymbol? Layer { get; }
    public INamedTypeSymbol? Mixable { get; }

    public static KnownTypes From(Compilation compilation) => new(compilation);

    /// <summary>Whether <paramref name="type"/> is or derives from <paramref name="baseType"/>.</summary>
    public static bool DerivesFrom(ITypeSymbol? type, INamedTypeSymbol? baseType)
    {
        if (baseType is null)
            return false;
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, baseType))
                return true;
        }
        return false;
    }

    public bool IsTensor(ITypeSymbol type) => SymbolEqualityComparer.Default.Equals(type, Tensor);
}
