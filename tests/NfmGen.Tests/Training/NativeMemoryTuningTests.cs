using NfmGen.Training;

namespace NfmGen.Tests.Training;

public class NativeMemoryTuningTests
{
    [Fact]
    public void Apply_tunes_glibc_once_and_answers_the_same_afterwards()
    {
        var first = NativeMemoryTuning.Apply();
        Assert.Equal(first, NativeMemoryTuning.Apply());
        // The test host runs on glibc Linux (Debian) without the opt-out or a MALLOC_ARENA_MAX of its own.
        var expected = OperatingSystem.IsLinux()
            && Environment.GetEnvironmentVariable(NativeMemoryTuning.OptOutVariable) is null
            && Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is null
            && File.Exists("/usr/lib/x86_64-linux-gnu/libc.so.6");
        if (expected)
            Assert.True(first);
    }
}
