using System.Runtime.InteropServices;
using NfmGen.Training;

namespace NfmGen.Tests.Training;

[Collection(NativeHeapCollection.Name)]
public class NativeMemoryTuningTests
{
    // Above glibc's largest dynamic mmap threshold (32 MiB): with glibc's defaults such a block is always an mmap of its own.
    private const int LargeBlock = 40 << 20;

    [Fact]
    public void Apply_tunes_glibc_once_and_answers_the_same_afterwards()
    {
        var first = NativeMemoryTuning.Apply();
        Assert.Equal(first, NativeMemoryTuning.Apply());
        if (TestHostIsTunable())
            Assert.True(first);
    }

    [Fact]
    public void After_Apply_a_large_block_comes_from_the_heap_and_stays_there_when_freed()
    {
        if (!NativeMemoryTuning.Apply() || !TestHostIsTunable())
            return; // not glibc, or tuned by the environment: nothing of NfmGen's to observe

        var before = NativeHeap.Read()!;
        var block = Marshal.AllocHGlobal(LargeBlock); // malloc on Unix
        var allocated = NativeHeap.Read()!;
        Marshal.FreeHGlobal(block);
        var freed = NativeHeap.Read()!;

        Assert.Equal(before.MappedBytes, allocated.MappedBytes); // not an mmap of its own
        Assert.True(allocated.InUseBytes - before.InUseBytes >= LargeBlock, "the block is counted as in use");
        Assert.True(freed.HeapBytes >= allocated.HeapBytes,
            $"the heap shrank from {allocated.HeapBytes} to {freed.HeapBytes} bytes when the block was freed");
    }

    [Fact]
    public void ReleaseFreeMemory_gives_a_freed_large_block_back_to_the_system()
    {
        if (!NativeMemoryTuning.Apply() || !TestHostIsTunable())
            return;

        var block = Marshal.AllocHGlobal(LargeBlock);
        Marshal.FreeHGlobal(block);
        var kept = NativeHeap.Read()!;

        Assert.True(NativeMemoryTuning.ReleaseFreeMemory());
        Assert.True(NativeHeap.Read()!.HeapBytes <= kept.HeapBytes);
    }

    // The test host runs on glibc Linux (Debian) without the opt-out or malloc settings of its own.
    private static bool TestHostIsTunable() =>
        OperatingSystem.IsLinux()
        && Environment.GetEnvironmentVariable(NativeMemoryTuning.OptOutVariable) is null
        && !Environment.GetEnvironmentVariables().Keys.Cast<string>().Any(name => name.StartsWith("MALLOC_", StringComparison.Ordinal))
        && File.Exists("/usr/lib/x86_64-linux-gnu/libc.so.6");
}
