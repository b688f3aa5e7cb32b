using System.Diagnostics;
using System.Globalization;
using NfmGen.Cli.Sweeps;

namespace NfmGen.Cli.Sweeps.Local;

/// <summary>
/// One task of a sweep running as a child process, <c>nfm sweep run DIR --task i --threads T</c>, its standard output
/// and error appended to the task's log, each line stamped with the seconds since the child started.
/// </summary>
internal sealed class TaskProcess : IDisposable
{
    private readonly Process process;
    private readonly StreamWriter log;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly object logLock = new();

    private TaskProcess(int index, Process process, StreamWriter log)
    {
        Index = index;
        this.process = process;
        this.log = log;
    }

    /// <summary>The task's index.</summary>
    public int Index { get; }

    /// <summary>The child's process id.</summary>
    public int ProcessId => process.Id;

    /// <summary>The seconds since the child started.</summary>
    public double Seconds => clock.Elapsed.TotalSeconds;

    /// <summary>Starts task <paramref name="index"/> of <paramref name="sweep"/> with <paramref name="threads"/> threads (0: torch's default).</summary>
    public static TaskProcess Start(SweepFolder sweep, int index, int threads)
    {
        string[] arguments = ["sweep", "run", sweep.Path, "--task", index.ToString(CultureInfo.InvariantCulture), "--threads", threads.ToString(CultureInfo.InvariantCulture)];
        var start = NfmExecutable.Start(arguments);
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.Environment[PosixSignals.ForwardedVariable] = "1";

        Directory.CreateDirectory(sweep.LogsPath);
        // Appended across restarts; others may read it (tail -f) while it grows.
        var log = new StreamWriter(new FileStream(sweep.LogPath(index), FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        try
        {
            log.WriteLine($"==== {DateTimeOffset.Now:yyyy-MM-dd HH:mm:ss.fff zzz} nfm sweep local on {Environment.MachineName}: nfm {string.Join(' ', arguments)}");
            var process = new Process { StartInfo = start };
            var child = new TaskProcess(index, process, log);
            process.OutputDataReceived += (_, line) => child.Append(line.Data);
            process.ErrorDataReceived += (_, line) => child.Append(line.Data);
            child.clock.Restart();
            ExternalCommand.Start(process);
            process.StandardInput.Close();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return child;
        }
        catch
        {
            log.Dispose();
            throw;
        }
    }

    /// <summary>Asks the child to checkpoint and stop, as Ctrl+C would (with SIGTERM: see <see cref="PosixSignals.Terminate"/>).</summary>
    public void Stop()
    {
        if (!process.HasExited)
            PosixSignals.Send(process.Id, PosixSignals.Terminate);
    }

    /// <summary>Waits until the child has exited and its output is in the log; returns its exit code.</summary>
    public async Task<int> WaitAsync()
    {
        await process.WaitForExitAsync();
        lock (logLock)
            log.WriteLine($"==== {DateTimeOffset.Now:yyyy-MM-dd HH:mm:ss.fff zzz} exit code {process.ExitCode} after {Seconds:F1} s");
        return process.ExitCode;
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (logLock)
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{Seconds,8:F3}] {line}"));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        process.Dispose();
        lock (logLock)
            log.Dispose();
    }
}
