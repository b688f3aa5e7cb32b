using System.Text.RegularExpressions;

namespace NfmGen.Cli.Sweeps.Slurm;

/// <summary>What Slurm says of one array task: its state (PENDING, RUNNING, CANCELLED...), why, who said it, and whether it is still Slurm's.</summary>
/// <param name="State">Slurm's job state, upper case as Slurm writes it; <see cref="Unknown"/> when no source names the task.</param>
/// <param name="Reason">Slurm's reason (Priority, Resources, BeginTime...) or, from a finished job's record, its exit code; null when none.</param>
/// <param name="Source">Where the state comes from: squeue, sacct, the job completion log, or none.</param>
/// <param name="IsLive">
/// Whether Slurm still holds the job (queued, running, requeued, held): only what squeue lists can be, since
/// <c>squeue --states=all</c> lists every job the controller knows.
/// </param>
internal sealed record SlurmJobState(string State, string? Reason, string Source, bool IsLive)
{
    /// <summary>The state of a task that no source names: Slurm has forgotten it, or never ran it.</summary>
    public const string Unknown = "UNKNOWN";

    private static readonly HashSet<string> Running = new(StringComparer.Ordinal) { "RUNNING", "COMPLETING", "CONFIGURING", "SIGNALING", "STAGE_OUT" };

    private static readonly HashSet<string> Ended = new(StringComparer.Ordinal)
        { "COMPLETED", "CANCELLED", "FAILED", "TIMEOUT", "NODE_FAIL", "PREEMPTED", "BOOT_FAIL", "DEADLINE", "OUT_OF_MEMORY", "REVOKED" };

    /// <summary>A state squeue lists: live unless it has ended (squeue keeps ended jobs for a while).</summary>
    public static SlurmJobState FromQueue(string state, string reason) => new(state, reason, "squeue", !Ended.Contains(state));

    /// <summary>Whether the job runs now (else, if live, it waits: pending, requeued, held, suspended).</summary>
    public bool IsRunning => IsLive && Running.Contains(State);

    /// <summary>"CANCELLED (exit code 0:15), from the job completion log".</summary>
    public override string ToString() => $"{State}{(Reason is null or "None" ? "" : $" ({Reason})")}{(Source == NoSource ? "" : $", from {Source}")}";

    /// <summary>The <see cref="Source"/> of <see cref="Unknown"/>: nothing Slurm keeps names the task.</summary>
    public const string NoSource = "none";
}

/// <summary>
/// What Slurm knows of some job arrays, asked once per <c>nfm sweep status</c>: <c>squeue --states=all</c> (queued,
/// running, and the jobs the controller still remembers), then, for tasks it no longer shows, <c>sacct</c> where
/// accounting is kept and the job completion log where one is configured (<c>scontrol show config</c> says which). Each
/// command has <see cref="CommandTimeout"/> to answer; a source that cannot be read is left out.
/// </summary>
internal sealed partial class SlurmQueue
{
    /// <summary>How long each Slurm command may take before it is stopped and its source left out.</summary>
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    // Slurm cuts the text of an array's indexes at 64 characters unless told otherwise: a resubmission of scattered tasks is such a list.
    private static readonly Dictionary<string, string> FullArrays = new() { ["SLURM_BITSTR_LEN"] = "0" };

    private readonly Dictionary<string, SlurmJobState> jobs;
    private readonly IReadOnlyCollection<string> arrays;

    private SlurmQueue(Dictionary<string, SlurmJobState> jobs, IReadOnlyCollection<string> arrays, string? unavailable)
    {
        this.jobs = jobs;
        this.arrays = arrays;
        Unavailable = unavailable;
    }

    /// <summary>Why Slurm could not be asked (no squeue here, it failed or hung), or null when it was.</summary>
    public string? Unavailable { get; }

    /// <summary>
    /// What Slurm says of array task <paramref name="id"/> (<c>JOB_INDEX</c>); null for an id of an array not asked
    /// about, or not an array task's. A task of an asked array that no source names is <see cref="SlurmJobState.Unknown"/>
    /// and not live: a task cancelled while pending leaves no trace while its array goes on; a finished one is forgotten
    /// by squeue after a while, and only accounting or a completion log keep it.
    /// </summary>
    public SlurmJobState? Find(string id)
    {
        if (jobs.TryGetValue(id, out var state))
            return state;
        if (ArrayTask().Match(id) is not { Success: true } match || !arrays.Contains(match.Groups[1].Value))
            return null;
        var array = match.Groups[1].Value;
        return new SlurmJobState(SlurmJobState.Unknown, jobs.Keys.Any(known => known.StartsWith(array + "_", StringComparison.Ordinal))
            ? $"array {array} no longer holds it: cancelled before it started"
            : $"Slurm keeps no record of job {id}", SlurmJobState.NoSource, false);
    }

    /// <summary>Asks Slurm about the tasks of the job arrays <paramref name="arrays"/>.</summary>
    public static SlurmQueue Ask(IReadOnlyCollection<string> arrays)
    {
        var jobs = new Dictionary<string, SlurmJobState>(StringComparer.Ordinal);
        ExternalCommand.Result queue;
        try
        {
            queue = ExternalCommand.Run("squeue", ["--noheader", "--array", "--states=all", "--format=%i|%T|%r"], timeout: CommandTimeout, environment: FullArrays);
        }
        catch (InvalidOperationException error)
        {
            return new SlurmQueue(jobs, arrays, error.Message);
        }
        if (queue.ExitCode != 0)
            return new SlurmQueue(jobs, arrays, $"squeue failed with exit code {queue.ExitCode}: {queue.Error.Trim()}");
        foreach (var fields in Lines(queue.Output).Select(line => line.Split('|')).Where(fields => fields.Length == 3))
        {
            foreach (var id in Expand(fields[0], arrays))
                jobs[id] = SlurmJobState.FromQueue(fields[1], fields[2]);
        }

        var config = Config();
        if (config.GetValueOrDefault("AccountingStorageType") is { } accounting && accounting != "accounting_storage/none")
            AddAccounting(jobs, arrays);
        if (config.GetValueOrDefault("JobCompType") == "jobcomp/filetxt" && config.GetValueOrDefault("JobCompLoc") is { } log)
            AddCompletionLog(jobs, arrays, log);
        return new SlurmQueue(jobs, arrays, null);
    }

    // "KEY = value" lines of scontrol show config; empty when it cannot be asked (then only squeue's view counts).
    private static Dictionary<string, string> Config()
    {
        var result = Quietly("scontrol", ["show", "config"]);
        return result is null ? [] : Lines(result)
            .Select(line => line.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .GroupBy(pair => pair[0].Trim(), StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.First()[1].Trim(), StringComparer.Ordinal);
    }

    private static void AddAccounting(Dictionary<string, SlurmJobState> jobs, IReadOnlyCollection<string> arrays)
    {
        var output = Quietly("sacct", ["--noheader", "--parsable2", "--allocations", $"--jobs={string.Join(",", arrays)}", "--format=JobID,State,ExitCode"]);
        foreach (var fields in Lines(output ?? "").Select(line => line.Split('|')).Where(fields => fields.Length == 3))
        {
            foreach (var id in Expand(fields[0], arrays))
                jobs.TryAdd(id, new SlurmJobState(fields[1].Split(' ')[0], $"exit code {fields[2]}", "sacct", false));
        }
    }

    // jobcomp/filetxt: one line per job end (and per requeue), oldest first, "JobId=7 ... JobState=CANCELLED ... ArrayJobId=5
    // ArrayTaskId=2 ... ExitCode=0:15"; a name may hold spaces, so fields are found by their keys. The last line of a task wins.
    private static void AddCompletionLog(Dictionary<string, SlurmJobState> jobs, IReadOnlyCollection<string> arrays, string log)
    {
        IEnumerable<string> lines;
        try
        {
            lines = File.ReadAllLines(log);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return; // not readable by this user: the other sources stand
        }
        var ended = new Dictionary<string, SlurmJobState>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            var (array, task, state) = (Field(line, "ArrayJobId"), Field(line, "ArrayTaskId"), Field(line, "JobState"));
            if (array is not null && task is not null && state is not null && arrays.Contains(array))
                ended[$"{array}_{task}"] = new SlurmJobState(state, Field(line, "ExitCode") is { } code ? $"exit code {code}" : null, "the job completion log", false);
        }
        foreach (var (id, state) in ended)
            jobs.TryAdd(id, state);
    }

    // A command's output, or null when it cannot be run, fails or hangs: that source is left out.
    private static string? Quietly(string program, IEnumerable<string> arguments)
    {
        try
        {
            var result = ExternalCommand.Run(program, arguments, timeout: CommandTimeout, environment: FullArrays);
            return result.ExitCode == 0 ? result.Output : null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    // The ids of one listed job that belong to the asked arrays: "5_3", or a pending record squeue did not split, "5_[3,7-9%2]".
    private static IEnumerable<string> Expand(string id, IReadOnlyCollection<string> arrays)
    {
        var match = ArrayTask().Match(id);
        if (!match.Success || !arrays.Contains(match.Groups[1].Value))
            return [];
        var tasks = match.Groups[2].Value;
        if (!tasks.StartsWith('['))
            return [id];
        try
        {
            return IndexRanges.Parse(tasks.Trim('[', ']').Split('%')[0]).Select(task => $"{match.Groups[1].Value}_{task}");
        }
        catch (FormatException)
        {
            return [];
        }
    }

    private static string? Field(string line, string key) =>
        Regex.Match(line, $@"(?:^| ){key}=(\S+)") is { Success: true } match ? match.Groups[1].Value : null;

    private static IEnumerable<string> Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [GeneratedRegex(@"^(\d+)_(\d+|\[[0-9,\-%]+\])$")]
    private static partial Regex ArrayTask();
}
