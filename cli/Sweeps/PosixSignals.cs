using System.Runtime.InteropServices;

namespace NfmGen.Cli.Sweeps;

/// <summary>
/// The two POSIX calls <c>nfm sweep local</c> needs: forwarding a stop to one child, and letting a child leave the
/// terminal's process group, so that Ctrl+C reaches it once, forwarded by its parent, and not twice (a second signal
/// ends a task at once, without its checkpoint).
/// </summary>
internal static class PosixSignals
{
    /// <summary>
    /// SIGTERM's number: the signal a stop is forwarded with. Not SIGINT: a process started in the background by a
    /// script inherits SIGINT ignored, and .NET leaves it ignored, so a forwarded SIGINT would not reach the task.
    /// Tasks handle both alike (checkpoint, then stop).
    /// </summary>
    public const int Terminate = 15;

    /// <summary>
    /// The variable <c>nfm sweep local</c> sets for its children: a child that sees it leaves the terminal's process
    /// group, since its parent forwards the terminal's signals to it.
    /// </summary>
    public const string ForwardedVariable = "NFMGEN_SIGNALS_FORWARDED";

    /// <summary>Sends <paramref name="signal"/> to process <paramref name="processId"/>; false when it is gone or not ours.</summary>
    public static bool Send(int processId, int signal) => !OperatingSystem.IsWindows() && kill(processId, signal) == 0;

    /// <summary>
    /// Puts this process in a process group of its own when its parent said it forwards the signals
    /// (<see cref="ForwardedVariable"/>): the terminal's Ctrl+C then reaches only the parent.
    /// </summary>
    public static void LeaveTerminalGroupIfForwarded()
    {
        if (OperatingSystem.IsLinux() && Environment.GetEnvironmentVariable(ForwardedVariable) == "1")
            _ = setpgid(0, 0); // on failure the child stays in the group: a Ctrl+C then reaches it twice, as without this
    }

    [DllImport("libc", ExactSpelling = true)]
    private static extern int kill(int pid, int signal);

    [DllImport("libc", ExactSpelling = true)]
    private static extern int setpgid(int pid, int pgid);
}
