namespace NfmGen.Tests;

/// <summary>
/// Tests that need torch's process-wide generator to themselves (network initialisation is drawn from it): they run
/// alone, so that no test in parallel draws from it between a seed and the draws it must decide.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalGeneratorCollection
{
    public const string Name = "Global torch generator";
}
