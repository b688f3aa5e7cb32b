namespace NfmGen;

/// <summary>
/// Marks a layer whose output is an eligible mix point: NFM may mix and perturb the features right after it.
/// A mixable layer is a <see cref="LayerAttribute"/> layer in every other respect.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property | AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class MixableAttribute : LayerAttribute
{
}
