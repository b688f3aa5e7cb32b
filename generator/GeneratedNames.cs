namespace NfmGen.Generator;

/// <summary>
/// The names of the members the generator writes into a network class: the emitter writes them, and the parser
/// refuses user members that would clash with them (NFM010).
/// </summary>
internal static class GeneratedNames
{
    public const string Forward = "forward";
    public const string ForwardTo = "ForwardTo";
    public const string ForwardFrom = "ForwardFrom";
    public const string ForwardMixed = "ForwardMixed";
    public const string NetworkInfo = "NetworkInfo";
    public const string RegisterComponents = "RegisterComponents";

    /// <summary>The field the generated <c>RegisterComponents()</c> keeps its state in.</summary>
    public const string RegisteredFlag = "nfmComponentsRegistered";

    /// <summary>The name of mix point 0, which no mixable layer may take (NFM020).</summary>
    public const string InputMixPoint = "input";

    /// <summary>The members written for every network, whatever the user declared.</summary>
    public static readonly string[] Always = { ForwardTo, ForwardFrom, ForwardMixed, NetworkInfo };
}
