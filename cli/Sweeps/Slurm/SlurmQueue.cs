using System.Text.RegularExpressions;

namespace NfmGen.Cli.Sweeps.Slurm;

/// <summary>What Slurm says of one array task: its state (PENDING, RUNNING, CANCELLED...), why, and who said it.</summary>
/// <param name="State">Slurm's job state, upper case as Slurm writes it.</param>
/// <param name="Reason">Slurm's reason (Priority, Resources, BeginTime...) or, from a finished job's record, its exit code; null when none.</param>
/// <param name="Source">Where the state comes from: squeue, sacct, or the job completion log.</param>
internal sealed record SlurmJobState(string State, string? Reason, string Source)
{
    /// <summary>The state of a job that no source names: Slurm has forgotten it (or never had it).</summary>
    public const string Unknown = "UNKNOWN";

    private static readonly HashSet<string> Ended = new(StringComparer.Ordinal)
        { "COMPLETED", "CANCELLED", "FAILED", "TIMEOUT", "NODE_FAIL", "PREEMPTED", "BOOT_FAIL", "DEADLINE", "OUT_OF_MEMORY", "REVOKED", Unknown };

    /// <summary>Whether the job is still Slurm's to run (queued, running, requeued, held): not ended, and known.</summary>
    public bool IsLive => !Ended.Contains(State.Split(' ')[0]);

    /// <summary>"CANCELLED (by 0), from squeue".</summary>
    public override string ToString() => $"{State}{(Reason is null or "None" ? "" : $" ({Reason})")}, from {Source}";
}

/// <summary>
/// What Slurm knows of a sweep's job arrays, asked once per <c>nfm sweep status</c>: <c>squeue</c> (queued, running,
/// and the jobs the controller still remembers), then, for the tasks it no longer shows, <c>sacct</c> where accounting
/// is kept and the job completion log where one is configured (<c>scontrol show config</c> says which).
/// </summary>
internal sealed class SlurmQueue
{
    private readonly Dictionary<string, SlurmJobState> jobs;

    private SlurmQueue(Dictionary<string, SlurmJobState> jobs, string? unavailable)
    {
        this.jobs = jobs;
        Unavailable = unavailable;
    }

    /// <summary>Why Slurm could not be asked (no squeue here, or it failed), or null when it was.</summary>
    public string? Unavailable { get; }

    /// <summary>
    /// What Slurm says of array task <paramref name="id"/> (<c>JOB_INDEX</c>); when nothing it keeps names the task,
    /// <see cref="SlurmJobState.Unknown"/> with what that means: a task cancelled while pending leaves no trace, while
    /// its array goes on; a finished job is forgotten by squeue after a while, and only accounting or a completion log keep it.
    /// </summary>
    public SlurmJobState Find(string id)
    {
        if (jobs.TryGetValue(id, out var state))
            return state;
        var array = id.Split('_')[0];
        return new SlurmJobState(SlurmJobState.Unknown, jobs.Keys.Any(known => known.StartsWith(array + "_", StringComparison.Ordinal))
            ? $"array {array} no longer holds it: cancelled before it started"
            : $"Slurm keeps no record of job {id}", "squeue");
    }

    /// <summary>Asks Slurm about the tasks of the job arrays <paramref name="arrays"/>.</summary>
    public static SlurmQueue Ask(IReadOnlyCollection<string> arrays)
    {
        var jobs = new Dictionary<string, SlurmJobState>(StringComparer.Ordinal);
        ExternalCommand.Result queue;
        try
        {
            queue = ExternalCommand.Run("squeue", ["--noheader", "--array", "--states=all", "--format=%i|%T|%r"]);
        }
        catch (InvalidOperationException error)
        {
            return new SlurmQueue(jobs, error.Message);
        }
        if (queue.ExitCode != 0)
            return new SlurmQueue(jobs, $"squeue failed with exit code {queue.ExitCode}: {queue.Error.Trim()}");
        foreach (var line in Lines(queue.Output))
        {
            var fields = line.Split('|');
            if (fields.Length == 3 && Ours(fields[0], arrays))
                jobs[fields[0]] = new SlurmJobState(fields[1], fields[2], "squeue");
        }

        var config = Config();
        if (config.GetValueOrDefault("AccountingStorageType") is { } accounting && accounting != "accounting_storage/none")
            AddAccounting(jobs, arrays);
        if (config.GetValueOrDefault("JobCompType") == "jobcomp/filetxt" && config.GetValueOrDefault("JobCompLoc") is { } log && File.Exists(log))
            AddCompletionLog(jobs, arrays, log);
        return new SlurmQueue(jobs, null);
    }

    // "KEY = value" lines of scontrol show config; empty when it cannot be asked (then only squeue's view counts).
    private static Dictionary<string, string> Config()
    {
        var result = ExternalCommand.Run("scontrol", ["show", "config"]);
        return result.ExitCode != 0 ? [] : Lines(result.Output)
            .Select(line => line.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .GroupBy(pair => pair[0].Trim(), StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.First()[1].Trim(), StringComparer.Ordinal);
    }

    private static void AddAccounting(Dictionary<string, SlurmJobState> jobs, IReadOnlyCollection<string> arrays)
    {
        var result = ExternalCommand.Run("sacct", ["--noheader", "--parsable2", "--allocations", $"--jobs={string.Join(",", arrays)}", "--format=JobID,State,ExitCode"]);
        if (result.ExitCode != 0)
            return;
        foreach (var fields in Lines(result.Output).Select(line => line.Split('|')).Where(fields => fields.Length == 3 && Ours(fields[0], arrays)))
            jobs.TryAdd(fields[0], new SlurmJobState(fields[1], $"exit code {fields[2]}", "sacct"));
    }

    // jobcomp/filetxt: one line per job end (and per requeue), oldest first, "JobId=7 ... JobState=CANCELLED ... ArrayJobId=5
    // ArrayTaskId=2 ... ExitCode=0:15"; a name may hold spaces, so fields are found by their keys. The last line of a task wins.
    private static void AddCompletionLog(Dictionary<string, SlurmJobState> jobs, IReadOnlyCollection<string> arrays, string log)
    {
        var ended = new Dictionary<string, SlurmJobState>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(log))
        {
            var (array, task, state) = (Field(line, "ArrayJobId"), Field(line, "ArrayTaskId"), Field(line, "JobState"));
            if (array is not null && task is not null && state is not null && arrays.Contains(array))
                ended[$"{array}_{task}"] = new SlurmJobState(state, Field(line, "ExitCode") is { } code ? $"exit code {code}" : null, "the job completion log");
        }
        foreach (var (id, state) in ended)
            jobs.TryAdd(id, state);
    }

    private static string? Field(string line, string key) =>
        Regex.Match(line, $@"(?:^| ){key}=(\S+)") is { Success: true } match ? match.Groups[1].Value : null;

    private static bool Ours(string id, IReadOnlyCollection<string> arrays) => id.Split('_')[0] is var array && arrays.Contains(array);

    private static IEnumerable<string> Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
