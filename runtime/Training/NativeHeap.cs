using System.Runtime.InteropServices;

namespace NfmGen.Training;

/// <summary>
/// A reading of glibc's malloc, where libtorch keeps its CPU tensors: how much it holds from the system and how much
/// of that is in use. The gap between the two is freed memory kept for reuse (or lost to fragmentation).
/// </summary>
/// <param name="HeapBytes">Bytes of the malloc heaps (all arenas).</param>
/// <param name="MappedBytes">Bytes in blocks that are mmaps of their own (none under <see cref="NativeMemoryTuning"/>).</param>
/// <param name="InUseBytes">Bytes allocated and not yet freed, heap and mapped blocks together.</param>
internal sealed record NativeHeap(long HeapBytes, long MappedBytes, long InUseBytes)
{
    /// <summary>The heap now, or null where the C library is not glibc 2.33 or later.</summary>
    internal static NativeHeap? Read()
    {
        if (!OperatingSystem.IsLinux())
            return null;
        try
        {
            var info = mallinfo2();
            return new NativeHeap((long)info.Arena, (long)info.MappedBytes, (long)(info.AllocatedBytes + info.MappedBytes));
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    // glibc's struct mallinfo2: ten size_t fields, in glibc's order.
    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct MallInfo2(
        nuint Arena,
        nuint FreeChunks,
        nuint FastBins,
        nuint MappedBlocks,
        nuint MappedBytes,
        nuint MaxTotalAllocated,
        nuint FastBinBytes,
        nuint AllocatedBytes,
        nuint FreeBytes,
        nuint TopReleasableBytes);

    [DllImport("libc", ExactSpelling = true)]
    private static extern MallInfo2 mallinfo2();
}
