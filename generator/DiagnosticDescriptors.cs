using Microsoft.CodeAnalysis;

namespace NfmGen.Generator;

/// <summary>Every diagnostic the generator reports. IDs are listed in AnalyzerReleases.Unshipped.md.</summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "NfmGen";

    public static readonly DiagnosticDescriptor InternalError = Error(
        "NFM000", "The NFM generator failed",
        "The NFM generator could not process '{0}': {1}. Please report this with the declaration that caused it.");

    public static readonly DiagnosticDescriptor NotPartial = Error(
        "NFM001", "A network class must be partial",
        "Network class '{0}' must be declared 'partial' so that the generator can add its forward passes");

    public static readonly DiagnosticDescriptor NotAModule = Error(
        "NFM002", "A network class must derive from Module<Tensor, Tensor>",
        "Network class '{0}' must derive from TorchSharp's Module<Tensor, Tensor> (it derives from '{1}')");

    public static readonly DiagnosticDescriptor InvalidLayerMember = Error(
        "NFM003", "A layer field or property must hold a Module<Tensor, Tensor>",
        "Layer '{0}' {1}; a layer field or property must be an instance member whose type derives from Module<Tensor, Tensor>");

    public static readonly DiagnosticDescriptor InvalidLayerMethod = Error(
        "NFM004", "A layer method must map one Tensor to a Tensor",
        "Layer method '{0}' {1}; a layer method must be non-generic with the signature 'Tensor {0}(Tensor x)'");

    public static readonly DiagnosticDescriptor NoLayers = Error(
        "NFM005", "A network needs layers",
        "Network class '{0}' has no layers; mark its steps with [Layer] or [Mixable], in the order the forward pass runs them");

    public static readonly DiagnosticDescriptor NoEligibleMixPoint = Error(
        "NFM006", "A network needs an eligible mix point",
        "Network class '{0}' has no eligible mix point: mark at least one layer [Mixable] or allow mixing the input (MixInput = true)");

    public static readonly DiagnosticDescriptor MixableLastLayer = Warning(
        "NFM007", "The last layer should not be mixable",
        "Layer '{0}' is the last layer: marking it [Mixable] mixes the network's outputs (the logits), which is rarely intended; use [Layer]");

    public static readonly DiagnosticDescriptor LayersInSeveralDeclarations = Error(
        "NFM008", "Layers must be declared in one partial declaration",
        "Layer '{0}' is declared in another partial declaration of '{1}' than the first layer; the order of the layers would be ambiguous, so declare them all in one place");

    public static readonly DiagnosticDescriptor GenericNetwork = Error(
        "NFM009", "Generic network classes are not supported",
        "Network class '{0}' is generic (or nested in a generic type), which the generator does not support; declare a non-generic class");

    public static readonly DiagnosticDescriptor MemberClash = Error(
        "NFM010", "A member clashes with the generated code",
        "'{0}' is generated for network '{1}'; rename or remove the member declared here");

    public static readonly DiagnosticDescriptor ContainingTypeNotPartial = Error(
        "NFM011", "Types containing a network must be partial",
        "Type '{0}' contains the network class '{1}' and must be declared 'partial' as well");

    public static readonly DiagnosticDescriptor ComponentsNotRegistered = Warning(
        "NFM012", "The constructor should call RegisterComponents()",
        "No constructor of network '{0}' calls RegisterComponents(): its layers will have no parameters, and state_dict() will be empty");

    public static readonly DiagnosticDescriptor TensorInProperty = Error(
        "NFM013", "Hold parameters and buffers in fields, not properties",
        "Property '{0}' holds a {1}; hold parameters and buffers in fields: TorchSharp's to(), cpu() and load() assign the moved tensor back to the member, which fails for a property");

    public static readonly DiagnosticDescriptor InvalidComponentName = Error(
        "NFM014", "A component name must be a non-empty, unique name without '.'",
        "Component name \"{0}\" of '{1}' {2}; TorchSharp would refuse it when registering the component, so use a non-empty name without '.' that no other component has");

    public static readonly DiagnosticDescriptor DerivedNetwork = Error(
        "NFM015", "A network cannot derive from another network",
        "Network class '{0}' derives from the network '{1}', whose generated members it would hide; derive from Module<Tensor, Tensor> and use '{1}' as a layer instead");

    public static readonly DiagnosticDescriptor FileLocalNetwork = Error(
        "NFM016", "A network class cannot be file-local",
        "Network class '{0}' is declared 'file', and the generated half of a partial class lives in another file; make it internal or private instead");

    /// <summary>
    /// A warning, not an error: a hand-written forward may be a faster or instrumented path to the same function, and
    /// the trainer checks at run time that it agrees with the chain. Not info either: a forward that differs trains one
    /// function and evaluates another, so it must show in every build.
    /// </summary>
    public static readonly DiagnosticDescriptor CustomForward = Warning(
        "NFM017", "Training does not run a hand-written forward",
        "Network '{0}' declares its own forward: training runs the declared layer chain (ForwardMixed, that is ForwardFrom(k, ForwardTo(k, x))), while evaluation and export run this forward, so it must compute the same function; remove it to let the generator write forward from the chain");

    public static readonly DiagnosticDescriptor LayerPropertyWithoutStorage = Error(
        "NFM018", "A layer property must store its module",
        "Layer property '{0}' has no backing field: it returns whatever its getter computes on every call, a module that is never registered (new random weights each call, or a module registered under another name); hold the module in a field or an auto-property, and mark that member as the layer");

    public static readonly DiagnosticDescriptor NullableMixableLayer = Error(
        "NFM019", "A mixable layer cannot be optional",
        "Mixable layer '{0}' is nullable, but its mix point must always exist; make it non-nullable, or mark it [Layer] to make it an optional step that is skipped while null");

    public static readonly DiagnosticDescriptor MixableLayerNamedInput = Error(
        "NFM020", "A mixable layer cannot be named 'input'",
        "Mixable layer '{0}' would name its mix point 'input', the name of mix point 0; rename the member (keep its state-dict name with [ComponentName(Name = \"input\")])");

    // Errors cannot be silenced: a silenced one would build a network whose forward is only the stand-in that throws.
    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, customTags: WellKnownDiagnosticTags.NotConfigurable);

    private static DiagnosticDescriptor Warning(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);
}
