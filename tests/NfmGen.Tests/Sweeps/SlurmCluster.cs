using System.Diagnostics;
using System.Text.RegularExpressions;

namespace NfmGen.Tests.Sweeps;

/// <summary>
/// The Slurm cluster that the end-to-end sweep tests submit to, found through <c>SLURM_CONF</c> (tests/slurm/start.sh
/// starts one; .ci/run exports its path). Without a working one a test is skipped with the reason, except under
/// <c>CI=true</c>, where it fails: CI must run them.
/// </summary>
internal static class SlurmCluster
{
    /// <summary>
    /// The epochs of the tests' toy sweeps: long enough (about 10 s of training on an idle machine) that a signal or a
    /// cancel sent mid-training lands before the end.
    /// </summary>
    public const int TaskEpochs = 120;

    /// <summary>How long a test waits for the cluster to get a task somewhere.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(150);

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);
    private static readonly Lazy<string?> Problem = new(FindProblem);

    /// <summary>Returns when the cluster answers; otherwise skips the test, or fails it under CI.</summary>
    public static void Require()
    {
        if (Problem.Value is not { } problem)
            return;
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            Assert.Fail($"CI=true, but there is no working Slurm cluster for the sweep tests: {problem}. .ci/run starts one with tests/slurm/start.sh and exports SLURM_CONF.");
        Skip.If(true, $"no Slurm test cluster: {problem}. Start one as root with: export SLURM_CONF=$(tests/slurm/start.sh)");
    }

    /// <summary>Runs a Slurm command and returns its standard output.</summary>
    /// <exception cref="InvalidOperationException">It failed or hung; the message holds its output.</exception>
    public static string Run(string tool, params string[] arguments)
    {
        var (exitCode, output) = TryRun(tool, arguments);
        return exitCode == 0 ? output : throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} failed with exit code {exitCode}: {output}");
    }

    /// <summary>Runs a Slurm command: its exit code, and its output and errors together.</summary>
    public static (int ExitCode, string Output) TryRun(string tool, params string[] arguments) => TryRun(CommandTimeout, tool, arguments);

    /// <summary>Runs a Slurm command for at most <paramref name="timeout"/>: its exit code (-1 when stopped), and its output and errors together.</summary>
    public static (int ExitCode, string Output) TryRun(TimeSpan timeout, string tool, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(tool, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException($"could not start {tool}");
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"{tool} did not end within {timeout.TotalSeconds} s");
        }
        return (process.ExitCode, output.Result + errors.Result);
    }

    /// <summary>The jobs of array <paramref name="arrayJobId"/> as <c>scontrol show job</c> lists them (pending tasks may share a line: <c>2-3</c>).</summary>
    public static IReadOnlyList<ArrayJob> ArrayJobs(string arrayJobId)
    {
        var (exitCode, output) = TryRun("scontrol", "--oneliner", "show", "job", arrayJobId);
        if (exitCode != 0)
            return [];
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => new ArrayJob(Field(line, "ArrayTaskId"), Field(line, "JobState"), Field(line, "Reason")))
            .ToList();
    }

    /// <summary>
    /// Lets requeued tasks of <paramref name="arrayJobId"/> start at once: Slurm holds a requeued job back for about
    /// 120 s (<c>Reason=BeginTime</c>).
    /// </summary>
    public static void ReleaseRequeued(string arrayJobId)
    {
        foreach (var job in ArrayJobs(arrayJobId).Where(job => job.State == "PENDING" && job.Reason == "BeginTime"))
            TryRun("scontrol", "update", $"JobId={arrayJobId}_{job.TaskId}", "StartTime=now");
    }

    /// <summary>What Slurm says of job <paramref name="jobId"/>, for a failure's message.</summary>
    public static string Describe(string jobId) => TryRun("scontrol", "--oneliner", "show", "job", jobId).Output;

    /// <summary>Cancels job <paramref name="jobId"/> (and all its array tasks), whatever its state.</summary>
    private static void Cancel(string jobId) => TryRun("scancel", jobId);

    /// <summary>Cancels job <paramref name="jobId"/> and waits (at most a minute) until none of its tasks runs: their files are then left alone.</summary>
    public static void CancelAndWait(string jobId)
    {
        Cancel(jobId);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(1) && TryRun("squeue", "--noheader", "--array", $"--jobs={jobId}", "--format=%i") is (0, var output) && output.Trim().Length > 0)
            Thread.Sleep(200);
    }

    private static string Field(string line, string name) =>
        Regex.Match(line, $@"(?:^|\s){name}=(\S*)") is { Success: true } match ? match.Groups[1].Value : "";

    private static string? FindProblem()
    {
        if (Environment.GetEnvironmentVariable("SLURM_CONF") is not { Length: > 0 } conf)
            return "SLURM_CONF is not set";
        if (!File.Exists(conf))
            return $"SLURM_CONF names {conf}, which does not exist";
        try
        {
            var (exitCode, output) = TryRun("sinfo", "--noheader", "--Node", "--format=%T");
            if (exitCode != 0)
                return $"sinfo failed with exit code {exitCode}: {output.Trim()}";
            var states = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return states.Any(state => state is "idle" or "mixed" or "allocated" or "completing") ? null
                : $"no node of the cluster in {conf} takes jobs (sinfo: {string.Join(", ", states)})";
        }
        catch (System.ComponentModel.Win32Exception error)
        {
            return $"Slurm's commands are not installed ({error.Message})";
        }
    }

    /// <summary>One line of <c>scontrol show job</c> for an array: its task id (or range), state and reason.</summary>
    public sealed record ArrayJob(string TaskId, string State, string Reason);
}
