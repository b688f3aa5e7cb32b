using System.Runtime.InteropServices;
using NfmGen.Training;

namespace NfmGen.Tests.Training;

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

        var before = mallinfo2();
        var block = Marshal.AllocHGlobal(LargeBlock); // malloc on Unix
        var allocated = mallinfo2();
        Marshal.FreeHGlobal(block);
        var freed = mallinfo2();

        Assert.Equal(before.MmappedBytes, allocated.MmappedBytes); // not an mmap of its own
        Assert.True(freed.HeapBytes >= allocated.HeapBytes,
            $"the heap shrank from {allocated.HeapBytes} to {freed.HeapBytes} bytes when the block was freed");
    }

    // The test host runs on glibc Linux (Debian) without the opt-out or malloc settings of its own.
    private static bool TestHostIsTunable() =>
        OperatingSystem.IsLinux()
        && Environment.GetEnvironmentVariable(NativeMemoryTuning.OptOutVariable) is null
        && !Environment.GetEnvironmentVariables().Keys.Cast<string>().Any(name => name.StartsWith("MALLOC_", StringComparison.Ordinal))
        && File.Exists("/usr/lib/x86_64-linux-gnu/libc.so.6");

    // glibc's struct mallinfo2 (2.33+): ten size_t fields, in glibc's order.
    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct MallocInfo(
        nuint HeapBytes, // arena: bytes taken from the system for the heaps
        nuint FreeChunks,
        nuint FastBins,
        nuint MmappedBlocks,
        nuint MmappedBytes, // hblkhd: bytes in blocks that are mmaps of their own
        nuint MaxTotalAllocated,
        nuint FastBinBytes,
        nuint AllocatedBytes,
        nuint FreeBytes,
        nuint TopReleasableBytes);

    [DllImport("libc", ExactSpelling = true)]
    private static extern MallocInfo mallinfo2();
}
