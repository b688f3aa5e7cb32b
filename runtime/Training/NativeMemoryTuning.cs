using System.Runtime.InteropServices;

namespace NfmGen.Training;

/// <summary>
/// Keeps a training process's native memory flat on Linux with glibc. libtorch frees and reallocates its large
/// activation buffers every step from several threads (the intra-op pool, the batch loader's worker); glibc gives
/// each thread its own arena and the freed blocks of one arena are not reused by another, so the resident size grows
/// step after step (by about 1 GB per CIFAR epoch on Debian 12's glibc 2.36). One arena for the whole process lets
/// every thread reuse every freed block. <see cref="NfmTrainer"/> and the <c>nfm</c> tool call <see cref="Apply"/>
/// before they start; call it yourself first thing in <c>Main</c> if you build your own loop.
/// </summary>
/// <remarks>
/// Cost: none measured (the step is as fast as with glibc's defaults; see docs/performance.md). The alternatives
/// that also flatten memory (a 128 KiB <c>M_MMAP_THRESHOLD</c>, or jemalloc by <c>LD_PRELOAD</c>) return every large
/// buffer to the kernel and take page faults each step: about twice the step time on 2 cores.
/// Opt out with the environment variable <c>NFMGEN_MALLOC_TUNING=0</c>; it also stays off when
/// <c>MALLOC_ARENA_MAX</c> is set (the user's choice wins), off Linux and on other C libraries (musl).
/// Only threads that have not allocated yet are affected, so the earlier the call, the better.
/// </remarks>
public static class NativeMemoryTuning
{
    /// <summary>The environment variable that turns the tuning off when set to <c>0</c>, <c>false</c> or <c>off</c>.</summary>
    public const string OptOutVariable = "NFMGEN_MALLOC_TUNING";

    // mallopt's parameter number for the arena limit (glibc malloc.h: M_ARENA_MAX -8).
    private const int ArenaMaxParameter = -8;

    private static readonly Lazy<bool> Applied = new(TryApply, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// Limits glibc's malloc to one arena, once per process; later calls return the first call's result.
    /// Returns whether the setting was made (false on other systems, with the opt-out, or when <c>MALLOC_ARENA_MAX</c> is set).
    /// </summary>
    public static bool Apply() => Applied.Value;

    private static bool TryApply()
    {
        if (!OperatingSystem.IsLinux() || IsOptedOut() || Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is not null)
            return false;
        try
        {
            _ = gnu_get_libc_version(); // only glibc has it: a musl process stops here
            return mallopt(ArenaMaxParameter, 1) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    private static bool IsOptedOut() =>
        Environment.GetEnvironmentVariable(OptOutVariable)?.Trim().ToLowerInvariant() is "0" or "false" or "off";

    [DllImport("libc", ExactSpelling = true)]
    private static extern int mallopt(int parameter, int value);

    [DllImport("libc", ExactSpelling = true)]
    private static extern IntPtr gnu_get_libc_version();
}
