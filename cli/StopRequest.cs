using System.Runtime.InteropServices;

namespace NfmGen.Cli;

/// <summary>
/// The signals that ask a command to stop between two steps, after a checkpoint: Ctrl+C (SIGINT), SIGTERM (Kubernetes,
/// Slurm's kill and preemption), and SIGUSR1 or SIGUSR2, which Slurm sends before a time limit (<c>--signal=B:USR1@120</c>)
/// and which also ask the task to requeue itself. A second signal ends the process at once.
/// </summary>
internal sealed class StopRequest : IDisposable
{
    /// <summary>SIGUSR1's and SIGUSR2's numbers on Linux: either is the warning a sweep's Slurm script asks for (<c>--signal</c>).</summary>
    private const int LinuxSigUsr1 = 10, LinuxSigUsr2 = 12;

    private readonly CancellationTokenSource stop = new();
    private readonly List<PosixSignalRegistration> registrations = [];
    private readonly Lock gate = new();
    private bool disposed;

    /// <summary>Listens for the stop signals.</summary>
    public StopRequest()
    {
        registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop));
        registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop));
        if (OperatingSystem.IsLinux())
        {
            registrations.Add(PosixSignalRegistration.Create((PosixSignal)LinuxSigUsr1, RequeueAndStop));
            registrations.Add(PosixSignalRegistration.Create((PosixSignal)LinuxSigUsr2, RequeueAndStop));
        }
    }

    /// <summary>Cancelled when a stop signal arrives.</summary>
    public CancellationToken Token => stop.Token;

    /// <summary>Whether the stop came with a request to requeue (SIGUSR1 or SIGUSR2): the scheduler's time limit is near.</summary>
    public static bool RequeueAsked { get; private set; }

    private void RequeueAndStop(PosixSignalContext context)
    {
        RequeueAsked = true;
        Stop(context);
    }

    private void Stop(PosixSignalContext context)
    {
        // A signal may come while the process ends (Slurm stops a task that has just requeued itself): then its
        // default action ends the process, instead of a cancellation on a disposed source.
        lock (gate)
        {
            if (disposed)
                return;
            context.Cancel = !stop.IsCancellationRequested;
            stop.Cancel();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (gate)
            disposed = true;
        foreach (var registration in registrations)
            registration.Dispose();
        stop.Dispose();
    }
}
