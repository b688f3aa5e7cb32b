namespace NfmGen.Tests;

/// <summary>
/// Tests that read glibc's heap before and after their own allocations: they run alone, so that no test in parallel
/// allocates, frees or releases memory (a trainer does at each epoch end) between the readings.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NativeHeapCollection
{
    public const string Name = "Native heap";
}
