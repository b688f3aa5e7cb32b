namespace NfmGen.Generator;

/// <summary>Names of the pipeline steps, so that tests can check each step is cached after an edit.</summary>
public static class TrackingNames
{
    /// <summary>The step that parses each <c>[NfmNetwork]</c> class into a model and its diagnostics.</summary>
    public const string Networks = nameof(Networks);

    /// <summary>The models to emit, without diagnostics or locations: the input of emission.</summary>
    public const string Models = nameof(Models);

    /// <summary>The stand-ins of networks whose generation an error stopped (a throwing <c>forward</c>).</summary>
    public const string StandIns = nameof(StandIns);

    /// <summary>The diagnostics of each network, reported apart from emission.</summary>
    public const string Diagnostics = nameof(Diagnostics);
}
