namespace NfmGen.Generator;

/// <summary>Names of the pipeline steps, so that tests can check each step is cached after an unrelated edit.</summary>
public static class TrackingNames
{
    /// <summary>The step that parses each <c>[NfmNetwork]</c> class into a model.</summary>
    public const string Networks = nameof(Networks);
}
