namespace NfmGen;

/// <summary>What the source generator knows about a network: its layers and its mix points.</summary>
/// <param name="Name">The network's class name.</param>
/// <param name="Layers">The layers in the order the forward pass runs them.</param>
/// <param name="MixPoints">The names of the mix points: <c>"input"</c>, then the name of each mixable layer.</param>
/// <param name="MixInput">Whether mix point 0 (the input) is eligible for mixing.</param>
/// <param name="HasCustomForward">
/// Whether the class declares its own <c>forward</c> (diagnostic NFM017). Training runs the layer chain
/// (<see cref="INfmNetwork.ForwardMixed"/>), evaluation and export run <c>forward</c>: they agree only if the hand-written
/// <c>forward</c> computes the chain's function. False when the generator wrote <c>forward</c> from the chain.
/// </param>
public sealed record NfmNetworkInfo(
    string Name, IReadOnlyList<LayerInfo> Layers, IReadOnlyList<string> MixPoints, bool MixInput, bool HasCustomForward = false)
{
    /// <summary>The number of mix points, the input included.</summary>
    public int MixPointCount => MixPoints.Count;

    /// <summary>The mix points that training may choose by default: every mix point, less the input when it is not eligible.</summary>
    public IReadOnlyList<int> EligibleMixPoints =>
        Enumerable.Range(MixInput ? 0 : 1, MixInput ? MixPoints.Count : MixPoints.Count - 1).ToArray();

    /// <summary>The mix points as a user reads them, for error messages: <c>0 input, 1 layer1, 2 layer2</c>.</summary>
    public string DescribeMixPoints() => string.Join(", ", MixPoints.Select((name, index) => $"{index} {name}"));

    /// <summary>Throws unless <paramref name="mixPoint"/> is one of this network's mix points.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mixPoint"/> is out of range.</exception>
    public void CheckMixPoint(int mixPoint)
    {
        if ((uint)mixPoint >= (uint)MixPoints.Count)
            throw MixPointOutOfRange(mixPoint);
    }

    /// <summary>
    /// The error of the generated <c>RegisterComponents()</c> for a module that must be set but is null: a layer the
    /// chain calls (not declared nullable), or a module declared non-nullable.
    /// </summary>
    /// <param name="member">The member's name, e.g. <c>hidden1</c>.</param>
    public InvalidOperationException MemberNotAssigned(string member) =>
        new($"{Name}.{member} is null: assign it in the constructor before RegisterComponents(), or declare it nullable if it is optional");

    /// <summary>The error for a mix point that this network does not have.</summary>
    public ArgumentOutOfRangeException MixPointOutOfRange(int mixPoint) =>
        new("mixPoint", mixPoint, $"{Name} has no mix point {mixPoint} (accepted: {DescribeMixPoints()}).");
}

/// <summary>One layer of a network.</summary>
/// <param name="Name">The member's name; for module layers, also the name in the state dict.</param>
/// <param name="Kind">Whether the layer is a module or a method.</param>
/// <param name="MixPoint">The mix point right after this layer, or -1 when the layer is not mixable.</param>
public sealed record LayerInfo(string Name, LayerKind Kind, int MixPoint);

/// <summary>How a layer is declared.</summary>
public enum LayerKind
{
    /// <summary>A field or property holding a <c>Module&lt;Tensor, Tensor&gt;</c>, invoked through <c>call</c>.</summary>
    Module,

    /// <summary>A method <c>Tensor M(Tensor)</c>.</summary>
    Method,
}
