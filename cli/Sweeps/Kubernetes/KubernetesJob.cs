using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using NfmGen.Cli.Sweeps;

namespace NfmGen.Cli.Sweeps.Kubernetes;

/// <summary>
/// A Kubernetes Indexed Job that runs a sweep, one completion per task, each pod <c>nfm sweep run &lt;mount&gt;</c> with
/// its index from <c>JOB_COMPLETION_INDEX</c>. The sweep folder lives on a persistent volume claim whose root is mounted
/// at <see cref="MountPath"/>: the claim holds the sweep folder's content (<c>sweep.json</c> at its root).
/// </summary>
/// <param name="Name">The Job's name, a DNS label (<see cref="NameFor(string)"/>).</param>
/// <param name="Tasks">The sweep's task count: the Job's completions.</param>
/// <param name="Image">The container image; its entrypoint must be <c>nfm</c>.</param>
/// <param name="Claim">The persistent volume claim that holds the sweep folder.</param>
/// <param name="MountPath">Where the claim is mounted in the pod, an absolute path.</param>
/// <param name="Parallelism">Pods that run at once.</param>
/// <param name="Gpus">GPUs per pod (<c>nvidia.com/gpu</c>); 0 for none.</param>
/// <param name="Only">
/// The tasks to run when not all (the unfinished ones): the Job has one completion per task listed, and pod i runs the
/// i-th (<c>nfm sweep run --tasks</c>); null for every task, pod i running task i.
/// </param>
internal sealed partial record KubernetesJob(string Name, int Tasks, string Image, string Claim, string MountPath, int Parallelism, int Gpus,
    IReadOnlyList<int>? Only = null)
{
    /// <summary>The Job's completions: one per task it runs.</summary>
    public int Completions => Only?.Count ?? Tasks;

    /// <summary>The container's name, which the pod failure policy's exit-code rule names.</summary>
    public const string ContainerName = "nfm";

    /// <summary>
    /// Seconds between SIGTERM and SIGKILL: a task checkpoints between two steps, and one step of a large network on a
    /// slow node plus the checkpoint's write can take a minute.
    /// </summary>
    public const int GracePeriodSeconds = 300;

    /// <summary>How often one index may fail (exit codes other than 1, such as a kill) before it counts as failed.</summary>
    public const int RetriesPerIndex = 3;

    /// <summary>
    /// A Job name from the sweep folder's name: <c>nfm-sweep-</c> and the name in lower case, with '-' for what a DNS
    /// label does not allow, short enough for the pods' names and labels.
    /// </summary>
    public static string NameFor(string sweepPath)
    {
        var folderName = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(sweepPath)));
        var slug = NotInLabel().Replace(folderName.ToLowerInvariant(), "-").Trim('-');
        var name = slug.Length == 0 ? "nfm-sweep" : "nfm-sweep-" + slug;
        // Pods are named <job>-<index>-<5 characters>, and their hostname <job>-<index> must be a DNS label (63).
        return name.Length <= 50 ? name : name[..50].TrimEnd('-');
    }

    /// <summary>
    /// The name of a Job of only <paramref name="tasks"/>: <see cref="NameFor(string)"/>'s with a suffix from the list, so that
    /// it runs beside the Job before it (whose pods may still run the other tasks) instead of replacing it.
    /// </summary>
    public static string NameFor(string sweepPath, IReadOnlyList<int> tasks)
    {
        var suffix = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(IndexRanges.Format(tasks))))[..6];
        var name = NameFor(sweepPath);
        return $"{(name.Length <= 43 ? name : name[..43].TrimEnd('-'))}-{suffix}";
    }

    /// <summary>The Job as YAML, with a comment that says how to use it.</summary>
    public string ToYaml()
    {
        var yaml = new StringBuilder();
        void Line(string text) => yaml.Append(text).Append('\n');
        string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

        Line(Only is null ? $"# nfm sweep k8s: one pod per sweep task ({Tasks} tasks), {Parallelism} at a time."
            : $"# nfm sweep k8s: one pod per unfinished sweep task ({IndexRanges.Format(Only)}: {Only.Count} of {Tasks}), {Parallelism} at a time; pod i runs the i-th.");
        Line($"# The persistent volume claim '{Claim}' must hold the sweep folder (sweep.json at its root); it is mounted at {MountPath}.");
        Line("# Submit: kubectl apply -f job.yaml   Follow: nfm sweep status on the volume, or kubectl get pods -l job-name=" + Name);
        Line("apiVersion: batch/v1");
        Line("kind: Job");
        Line("metadata:");
        Line($"  name: {Quote(Name)}");
        Line("  labels:");
        Line("    app.kubernetes.io/name: nfm-sweep");
        Line("spec:");
        Line("  completionMode: Indexed");
        Line($"  completions: {Number(Completions)}");
        Line($"  parallelism: {Number(Parallelism)}");
        Line("  # Each index retries on its own; a failed index does not stop the others.");
        Line($"  backoffLimitPerIndex: {Number(RetriesPerIndex)}");
        Line($"  maxFailedIndexes: {Number(Completions)}");
        Line("  podFailurePolicy:");
        Line("    rules:");
        Line("    # Preemption, eviction, node loss: not the task's failure; the index runs again and resumes its checkpoint.");
        Line("    - action: Ignore");
        Line("      onPodConditions:");
        Line("      - type: DisruptionTarget");
        Line("    # Exit code 1: an error nfm reported (bad options, missing data...): not retried; the index's log says why.");
        Line("    - action: FailIndex");
        Line("      onExitCodes:");
        Line($"        containerName: {ContainerName}");
        Line("        operator: In");
        Line("        values: [1]");
        Line("  template:");
        Line("    metadata:");
        Line("      labels:");
        Line("        app.kubernetes.io/name: nfm-sweep");
        Line("    spec:");
        Line("      restartPolicy: Never");
        Line("      # SIGTERM asks the task to checkpoint between two steps; this is how long it has before SIGKILL.");
        Line($"      terminationGracePeriodSeconds: {Number(GracePeriodSeconds)}");
        Line("      containers:");
        Line($"      - name: {ContainerName}");
        Line($"        image: {Quote(Image)}");
        Line("        # The image's entrypoint is nfm; the task index comes from JOB_COMPLETION_INDEX.");
        Line(Only is null ? $"        args: [\"sweep\", \"run\", {Quote(MountPath)}]"
            : $"        args: [\"sweep\", \"run\", {Quote(MountPath)}, \"--tasks\", {Quote(IndexRanges.Format(Only))}]");
        if (Gpus > 0)
        {
            Line("        resources:");
            Line("          limits:");
            Line($"            nvidia.com/gpu: {Number(Gpus)}");
        }
        Line("        volumeMounts:");
        Line("        - name: sweep");
        Line($"          mountPath: {Quote(MountPath)}");
        Line("      volumes:");
        Line("      - name: sweep");
        Line("        persistentVolumeClaim:");
        Line($"          claimName: {Quote(Claim)}");
        return yaml.ToString();
    }

    /// <summary>
    /// The paths that <paramref name="definition"/> names (<see cref="SweepArguments.PathOptions"/>) outside <paramref name="mountPath"/>:
    /// each pod must find them at the same path, in its image or on another volume.
    /// </summary>
    public static IReadOnlyList<string> PathsOutside(SweepDefinition definition, string mountPath)
    {
        var mount = mountPath.TrimEnd('/') + "/";
        return definition.Train.Concat(definition.Evaluate).Concat(definition.Grid.Select(axis => new SweepOption(axis.Option, axis.Values)))
            .Where(option => SweepArguments.PathOptions.Contains(option.Name))
            .SelectMany(option => option.Values.Select(value => $"--{option.Name} {value}"))
            .Where(text => !text[(text.IndexOf(' ') + 1)..].StartsWith(mount, StringComparison.Ordinal))
            .Distinct()
            .ToList();
    }

    // A JSON string is a YAML double-quoted scalar: safe for any text.
    private static string Quote(string text) => JsonSerializer.Serialize(text, ReadableJson);

    private static readonly JsonSerializerOptions ReadableJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [GeneratedRegex("[^a-z0-9-]+")]
    private static partial Regex NotInLabel();
}
