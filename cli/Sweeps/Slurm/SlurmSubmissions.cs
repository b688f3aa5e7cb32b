using System.Text.Json.Nodes;
using NfmGen.Training;

namespace NfmGen.Cli.Sweeps.Slurm;

/// <summary>One job array that <c>nfm sweep slurm --submit</c> submitted: its id and the tasks it runs.</summary>
/// <param name="Job">The array's job id.</param>
/// <param name="Tasks">The sweep tasks it runs (its array indexes).</param>
/// <param name="SubmittedUtc">When.</param>
internal sealed record SlurmSubmission(string Job, IReadOnlyList<int> Tasks, DateTimeOffset SubmittedUtc);

/// <summary>
/// The job arrays submitted for a sweep, in <c>DIR/slurm/jobs.jsonl</c>, one JSON line each, oldest first: how
/// <c>nfm sweep status</c> finds the job of a task that never started (it has no record to name its job).
/// </summary>
internal static class SlurmSubmissions
{
    /// <summary>The file's path.</summary>
    public static string PathOf(SweepFolder sweep) => Path.Combine(sweep.Path, "slurm", "jobs.jsonl");

    /// <summary>Adds <paramref name="submission"/> (the file is rewritten atomically).</summary>
    public static void Append(SweepFolder sweep, SlurmSubmission submission)
    {
        var line = new JsonObject
        {
            ["job"] = submission.Job,
            ["tasks"] = IndexRanges.Format(submission.Tasks),
            ["submittedUtc"] = submission.SubmittedUtc.ToString("O"),
        }.ToJsonString();
        var path = PathOf(sweep);
        AtomicFile.WriteText(path, (File.Exists(path) ? File.ReadAllText(path) : "") + line + "\n");
    }

    /// <summary>Every submission, oldest first; none when the sweep was never submitted from here.</summary>
    /// <exception cref="InvalidDataException">A line is damaged; the message names the file and the line.</exception>
    public static IReadOnlyList<SlurmSubmission> Read(SweepFolder sweep)
    {
        var path = PathOf(sweep);
        if (!File.Exists(path))
            return [];
        var lines = File.ReadAllLines(path);
        return [.. lines.Select((line, number) => line.Trim().Length == 0 ? null : Parse(line, path, number + 1)).OfType<SlurmSubmission>()];
    }

    private static SlurmSubmission Parse(string line, string path, int number)
    {
        try
        {
            var json = JsonNode.Parse(line) as JsonObject ?? throw new FormatException("not a JSON object");
            return new SlurmSubmission(
                json["job"]?.GetValue<string>() ?? throw new FormatException("no \"job\""),
                IndexRanges.Parse(json["tasks"]?.GetValue<string>() ?? throw new FormatException("no \"tasks\"")),
                DateTimeOffset.Parse(json["submittedUtc"]?.GetValue<string>() ?? throw new FormatException("no \"submittedUtc\""), System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (Exception error) when (error is System.Text.Json.JsonException or FormatException or InvalidOperationException)
        {
            throw new InvalidDataException($"{path}, line {number}: not a submission record ({error.Message})", error);
        }
    }
}
