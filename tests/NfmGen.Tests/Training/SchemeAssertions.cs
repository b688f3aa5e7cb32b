using NfmGen.Mixing;
using NfmGen.Training;

namespace NfmGen.Tests.Training;

/// <summary>Reads a scheme's method in tests.</summary>
internal static class SchemeAssertions
{
    /// <summary>The NFM options of a scheme of the NFM family; fails the test for another method.</summary>
    public static NfmOptions NfmOptions(this TrainingScheme scheme) => Assert.IsType<NfmMethod>(scheme.Method).Options;
}
