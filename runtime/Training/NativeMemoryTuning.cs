using System.Runtime.InteropServices;

namespace NfmGen.Training;

/// <summary>
/// Makes glibc's malloc keep libtorch's buffers instead of handing them back to the kernel, on Linux with glibc.
/// libtorch frees and reallocates its large activation buffers every step, from several threads (the caller's, the
/// intra-op pool's, a prefetching loader's on a GPU). With glibc's defaults each large buffer is an <c>mmap</c> of its own, or sits at the
/// top of a heap that is trimmed when it is freed; either way it goes back to the kernel and the next step faults every
/// page of it in again, zeroed. On 2 cores that was a quarter of a PreActResNet-18 step (see docs/performance.md).
/// And each thread's arena keeps its own freed blocks, so the resident size also grew step after step.
/// <see cref="NfmTrainer"/> and the <c>nfm</c> tool call <see cref="Apply"/> before they start; call it yourself
/// first thing in <c>Main</c> if you build your own loop.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Apply"/> sets three <c>mallopt</c> parameters: one arena for the whole process (<c>M_ARENA_MAX</c> 1), so
/// that a block freed by one thread is reused by any other; no <c>mmap</c> per allocation (<c>M_MMAP_MAX</c> 0); and
/// no trimming of the heap's top below 2 GiB (<c>M_TRIM_THRESHOLD</c>). Cost: the process keeps its peak native heap
/// until <see cref="ReleaseFreeMemory"/> hands the free part back, which the trainer does at each epoch end.
/// </para>
/// <para>
/// Opt out with the environment variable <c>NFMGEN_MALLOC_TUNING=0</c>. It also stays off when any of glibc's own
/// malloc settings is in the environment (<c>MALLOC_*</c> or a <c>glibc.malloc</c> tunable: the user's choice wins),
/// off Linux and on other C libraries (musl). Only threads that have not allocated yet join the single arena, so the
/// earlier the call, the better.
/// </para>
/// </remarks>
internal static class NativeMemoryTuning
{
    /// <summary>The environment variable that turns the tuning off when set to <c>0</c>, <c>false</c> or <c>off</c>.</summary>
    public const string OptOutVariable = "NFMGEN_MALLOC_TUNING";

    // mallopt's parameter numbers (glibc malloc.h) and the values NfmGen sets.
    private static readonly (int Parameter, int Value)[] Settings =
    [
        (-8, 1), // M_ARENA_MAX: one arena
        (-4, 0), // M_MMAP_MAX: never mmap a single allocation
        (-1, int.MaxValue), // M_TRIM_THRESHOLD: keep up to 2 GiB free at the heap's top
    ];

    private static readonly Lazy<bool> Applied = new(TryApply, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// Applies the settings once per process; later calls return the first call's result. Returns whether they were
    /// made (false on other systems, with the opt-out, or when the environment holds glibc malloc settings of its own).
    /// </summary>
    public static bool Apply() => Applied.Value;

    /// <summary>
    /// Returns the free pages of glibc's heap to the system (<c>malloc_trim</c>), where <see cref="Apply"/> made the
    /// settings: the next step faults its working set in again, once. The trainer calls it at the end of each epoch, so
    /// that rare steps whose buffers did not fit the heap's free blocks do not raise the resident size for good.
    /// Returns whether memory was released.
    /// </summary>
    public static bool ReleaseFreeMemory() => Applied.IsValueCreated && Applied.Value && malloc_trim(0) == 1;

    private static bool TryApply()
    {
        if (!OperatingSystem.IsLinux() || IsOptedOut() || HasUserMallocSettings())
            return false;
        try
        {
            _ = gnu_get_libc_version(); // only glibc has it: a musl process stops here
            return Settings.Aggregate(true, (allMade, setting) => mallopt(setting.Parameter, setting.Value) == 1 && allMade);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    private static bool IsOptedOut() =>
        Environment.GetEnvironmentVariable(OptOutVariable)?.Trim().ToLowerInvariant() is "0" or "false" or "off";

    private static bool HasUserMallocSettings() =>
        Environment.GetEnvironmentVariables().Keys.Cast<string>().Any(name => name.StartsWith("MALLOC_", StringComparison.Ordinal))
        || Environment.GetEnvironmentVariable("GLIBC_TUNABLES")?.Contains("glibc.malloc.", StringComparison.Ordinal) == true;

    [DllImport("libc", ExactSpelling = true)]
    private static extern int mallopt(int parameter, int value);

    [DllImport("libc", ExactSpelling = true)]
    private static extern IntPtr gnu_get_libc_version();

    [DllImport("libc", ExactSpelling = true)]
    private static extern int malloc_trim(nuint pad);
}
