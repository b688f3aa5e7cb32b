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

    [SkippableFact]
    public void After_Apply_a_large_block_comes_from_the_heap_not_from_an_mmap_of_its_own()
    {
        Skip.IfNot(TestHostIsTunable(), NotTunable);
        Assert.True(NativeMemoryTuning.Apply());

        GC.Collect(); // tensors of earlier tests are freed by finalizers: now, not between the readings
        GC.WaitForPendingFinalizers();
        var before = NativeHeap.Read()!;
        var block = Marshal.AllocHGlobal(LargeBlock); // malloc on Unix
        var allocated = NativeHeap.Read()!;
        Marshal.FreeHGlobal(block);

        // Other threads may still free memory meanwhile, but not map a block this size. (What happens when it is freed
        // depends on the arena: a test thread may have one of its own from before Apply, whose heaps go when empty.)
        Assert.True(allocated.MappedBytes - before.MappedBytes < LargeBlock, "the block is an mmap of its own");
    }

    [SkippableFact]
    public void ReleaseFreeMemory_gives_a_freed_large_block_back_to_the_system()
    {
        Skip.IfNot(TestHostIsTunable(), NotTunable);
        Assert.True(NativeMemoryTuning.Apply());

        var block = Marshal.AllocHGlobal(LargeBlock);
        Marshal.FreeHGlobal(block);

        // malloc_trim answers 1 only when it handed memory back: the freed block, wherever it lies in the heap.
        Assert.True(NativeMemoryTuning.ReleaseFreeMemory(), "malloc_trim released nothing");
    }

    private const string NotTunable = "needs glibc (2.33+) and no NFMGEN_MALLOC_TUNING or MALLOC_* setting in the environment";

    // glibc (which has mallinfo2) without the opt-out or malloc settings of the environment's own.
    private static bool TestHostIsTunable() =>
        NativeHeap.Read() is not null
        && Environment.GetEnvironmentVariable(NativeMemoryTuning.OptOutVariable) is null
        && !Environment.GetEnvironmentVariables().Keys.Cast<string>().Any(name => name.StartsWith("MALLOC_", StringComparison.Ordinal));
}
