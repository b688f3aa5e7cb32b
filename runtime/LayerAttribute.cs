namespace NfmGen;

/// <summary>
/// Marks a step of an <see cref="NfmNetworkAttribute"/> network: a field or property whose type derives from
/// <c>Module&lt;Tensor, Tensor&gt;</c>, or a method <c>Tensor M(Tensor)</c> (instance or static).
/// Steps run in declaration order.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property | AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public class LayerAttribute : Attribute
{
}
