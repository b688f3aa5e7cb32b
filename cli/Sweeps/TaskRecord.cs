using System.Text.Json;
using System.Text.Json.Nodes;
using NfmGen.Training;

namespace NfmGen.Cli.Sweeps;

/// <summary>
/// A task's <c>task.json</c>: the options it runs with (so that a later edit of <c>sweep.json</c> is caught, never
/// silently re-indexed), its state, how often it started and was restarted by its scheduler, and how it last ended.
/// </summary>
/// <param name="Index">The task's index.</param>
/// <param name="TrainOptions">The training options it runs with.</param>
/// <param name="EvaluateOptions">The evaluation options it runs with.</param>
/// <param name="State">Where it stands.</param>
/// <param name="Attempts">How many times a process started it.</param>
/// <param name="Restarts">How many times its scheduler requeued or restarted it (Slurm's restart count, or the requeues it asked for).</param>
/// <param name="ExitCode">The exit code of its last end, if it ended.</param>
/// <param name="Error">The error of its last failure, if it failed.</param>
/// <param name="Host">The machine of its last process.</param>
/// <param name="ProcessId">The id of its last process.</param>
/// <param name="UpdatedUtc">When this record was written.</param>
internal sealed record TaskRecord(
    int Index,
    IReadOnlyList<SweepOption> TrainOptions,
    IReadOnlyList<SweepOption> EvaluateOptions,
    TaskState State,
    int Attempts,
    int Restarts,
    int? ExitCode,
    string? Error,
    string Host,
    int ProcessId,
    DateTimeOffset UpdatedUtc)
{
    /// <summary>
    /// The scheduler's id of the job of each attempt, oldest first: a Slurm array task's <c>ARRAYJOB_TASK</c>, or
    /// <c>pod/NAME</c> under Kubernetes; none for attempts outside a scheduler (and in records written before it was kept).
    /// </summary>
    public IReadOnlyList<string> Jobs { get; init; } = [];

    /// <summary>The scheduler's id of the job of the latest attempt (as in <see cref="Jobs"/>); null when it ran outside a scheduler.</summary>
    public string? Job { get; init; }

    /// <summary>The record of a task that has not started, for this process.</summary>
    public static TaskRecord NotStarted(SweepTask task, IReadOnlyList<SweepOption> evaluate) =>
        new(task.Index, task.TrainOptions, evaluate, TaskState.Pending, 0, 0, null, null, Environment.MachineName, Environment.ProcessId, DateTimeOffset.UtcNow);

    /// <summary>
    /// Whether the process this record names is known to be gone: it ran on this machine and no process has its id.
    /// A task recorded as running whose process is gone was killed without a word (kill -9, a lost node).
    /// </summary>
    public bool ProcessIsGone()
    {
        if (Host != Environment.MachineName)
            return false;
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(ProcessId);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    /// <summary>Writes the record to <paramref name="path"/> atomically.</summary>
    public void Write(string path)
    {
        var json = new JsonObject
        {
            ["index"] = Index,
            ["state"] = JsonNamingPolicy.CamelCase.ConvertName(State.ToString()),
            ["attempts"] = Attempts,
            ["restarts"] = Restarts,
            ["exitCode"] = ExitCode,
            ["error"] = Error,
            ["host"] = Host,
            ["processId"] = ProcessId,
            ["updatedUtc"] = UpdatedUtc.ToString("O"),
            ["train"] = SweepJson.OptionsNode(TrainOptions),
            ["evaluate"] = SweepJson.OptionsNode(EvaluateOptions),
        };
        if (Jobs.Count > 0)
            json["jobs"] = new JsonArray([.. Jobs.Select(job => (JsonNode)job)]);
        if (Job is not null)
            json["job"] = Job;
        AtomicFile.WriteText(path, json.ToJsonString(SweepJson.Indented) + "\n");
    }

    /// <summary>Reads the record at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">It is not a task record; the message names the file and the field.</exception>
    public static TaskRecord Read(string path)
    {
        try
        {
            var json = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new FormatException("not a JSON object");
            return new TaskRecord(
                Required<int>(json, "index"),
                SweepJson.Options(json["train"], "train"),
                SweepJson.Options(json["evaluate"], "evaluate"),
                Enum.TryParse<TaskState>(Required<string>(json, "state"), ignoreCase: true, out var state) ? state
                    : throw new FormatException($"\"state\" is '{json["state"]}'; one of {string.Join(", ", Enum.GetNames<TaskState>())}"),
                Required<int>(json, "attempts"),
                Required<int>(json, "restarts"),
                json["exitCode"]?.GetValue<int>(),
                json["error"]?.GetValue<string>(),
                Required<string>(json, "host"),
                Required<int>(json, "processId"),
                DateTimeOffset.Parse(Required<string>(json, "updatedUtc"), System.Globalization.CultureInfo.InvariantCulture))
            {
                Jobs = json["jobs"] is JsonArray jobs ? [.. jobs.Select(job => job?.GetValue<string>() ?? throw new FormatException("\"jobs\" holds a null"))] : [],
                Job = json["job"]?.GetValue<string>(),
            };
        }
        catch (Exception error) when (error is JsonException or FormatException or InvalidOperationException)
        {
            throw new InvalidDataException($"{path} is not a valid task record: {error.Message}", error);
        }
    }

    private static T Required<T>(JsonObject json, string name) =>
        json[name] is JsonValue value && value.TryGetValue<T>(out var result) ? result
            : throw new FormatException($"\"{name}\" is missing or not a {typeof(T).Name}");
}
