namespace NfmGen;

/// <summary>
/// Marks a <c>partial</c> class deriving from <c>Module&lt;Tensor, Tensor&gt;</c> as a network for Noisy Feature Mixup.
/// The source generator emits its split forward passes (<see cref="INfmNetwork.ForwardTo"/>,
/// <see cref="INfmNetwork.ForwardFrom"/>), its metadata and its component registration.
/// </summary>
/// <remarks>
/// The network is the chain of members marked <see cref="LayerAttribute"/> or <see cref="MixableAttribute"/>, in
/// declaration order. Mix points are numbered like the layers of the NFM paper: 0 is the input, then one after each
/// <see cref="MixableAttribute"/> layer.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class NfmNetworkAttribute : Attribute
{
    /// <summary>Whether the input (mix point 0) is eligible for mixing. True unless set otherwise.</summary>
    public bool MixInput { get; set; } = true;
}
