using NfmGen.Generator.Model;

namespace NfmGen.Generator;

/// <summary>
/// The runtime's types and members that generated code refers to, fully qualified: the one place that ties the
/// generator to names in <c>NfmGen.Runtime</c> and TorchSharp.
/// </summary>
internal static class RuntimeApi
{
    public const string Tensor = "global::TorchSharp.torch.Tensor";
    public const string TensorModule = "global::TorchSharp.torch.nn.Module<global::TorchSharp.torch.Tensor, global::TorchSharp.torch.Tensor>";
    public const string INfmNetwork = "global::NfmGen.INfmNetwork";
    public const string NfmNetworkInfo = "global::NfmGen.NfmNetworkInfo";
    public const string LayerInfo = "global::NfmGen.LayerInfo";
    public const string IFeatureTransform = "global::NfmGen.IFeatureTransform";

    /// <summary><c>NfmNetworkInfo.CheckMixPoint(int)</c>: throws for a mix point the network does not have.</summary>
    public const string CheckMixPoint = "CheckMixPoint";

    /// <summary><c>NfmNetworkInfo.MixPointOutOfRange(int)</c>: the exception for a mix point the network does not have.</summary>
    public const string MixPointOutOfRange = "MixPointOutOfRange";

    /// <summary><c>NfmNetworkInfo.MemberNotAssigned(string)</c>: the exception for a required component left null.</summary>
    public const string MemberNotAssigned = "MemberNotAssigned";

    /// <summary>The runtime's <c>NfmGen.LayerKind</c> member for a layer of kind <paramref name="kind"/>.</summary>
    public static string LayerKind(LayerModelKind kind) =>
        kind == LayerModelKind.Method ? "global::NfmGen.LayerKind.Method" : "global::NfmGen.LayerKind.Module";
}
