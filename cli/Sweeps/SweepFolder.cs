using System.Globalization;
using NfmGen.Training;

namespace NfmGen.Cli.Sweeps;

/// <summary>
/// A sweep's folder, and the one place that names its files: <c>sweep.json</c> (the definition) with
/// <c>sweep.schema.json</c> beside it, <c>tasks/NNN/</c> per task (its <c>task.json</c>, <c>task.lock</c> and its run
/// folder <c>run/</c>), <c>logs/NNN.log</c>, each task's output, appended across restarts, and <c>slurm/sweep.sbatch</c>,
/// the Slurm job-array script.
/// </summary>
internal sealed class SweepFolder
{
    /// <summary>The definition's file name.</summary>
    public const string DefinitionFileName = "sweep.json";

    /// <summary>The JSON Schema's file name, written beside the definition for editors.</summary>
    public const string SchemaFileName = "sweep.schema.json";

    /// <summary>The task record's file name, in the task's folder.</summary>
    public const string TaskRecordFileName = "task.json";

    /// <summary>The task lock's file name, in the task's folder.</summary>
    public const string TaskLockFileName = "task.lock";

    private SweepFolder(string path, SweepDefinition definition)
    {
        Path = path;
        Definition = definition;
        IndexWidth = Math.Max(3, (definition.TaskCount - 1).ToString(CultureInfo.InvariantCulture).Length);
    }

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>The sweep's definition.</summary>
    public SweepDefinition Definition { get; }

    /// <summary>The digits of a task's number in its folder and log names (at least 3): <c>tasks/007</c>.</summary>
    public int IndexWidth { get; }

    /// <summary>The definition's path.</summary>
    public string DefinitionPath => System.IO.Path.Combine(Path, DefinitionFileName);

    /// <summary>The folder of the tasks' logs.</summary>
    public string LogsPath => System.IO.Path.Combine(Path, "logs");

    /// <summary>The folder of task <paramref name="index"/>.</summary>
    public string TaskPath(int index) => System.IO.Path.Combine(Path, "tasks", Number(index));

    /// <summary>The folder under which each task writes its TensorBoard events, so that <c>tensorboard --logdir</c> shows the grid.</summary>
    public string TensorBoardPath => System.IO.Path.Combine(Path, "tensorboard");

    /// <summary>
    /// The readable name of task <paramref name="index"/>, its number and the values that vary
    /// (<c>003-scheme=nfm_seed=2</c>): its TensorBoard subfolder (and so its run name there) and its exported model's file name.
    /// </summary>
    public string TaskName(int index) =>
        $"{Number(index)}-{string.Join('_', Definition.Task(index).Varying.Select(value => string.Concat(value.ToString().Split(System.IO.Path.GetInvalidFileNameChars()))))}".TrimEnd('-');

    /// <summary>The run folder of task <paramref name="index"/>, which <c>nfm train</c> owns.</summary>
    public RunFolder RunFolder(int index) => new(System.IO.Path.Combine(TaskPath(index), "run"));

    /// <summary>The record of task <paramref name="index"/>.</summary>
    public string TaskRecordPath(int index) => System.IO.Path.Combine(TaskPath(index), TaskRecordFileName);

    /// <summary>The log of task <paramref name="index"/>.</summary>
    public string LogPath(int index) => LogPathFor(Number(index));

    /// <summary>
    /// A task's log path with <paramref name="number"/> for its number: a scheduler's file-name pattern, such as Slurm's
    /// <c>%3a</c> (the array index, zero-padded to 3 digits), names the same file as <see cref="LogPath"/>.
    /// </summary>
    public string LogPathFor(string number) => System.IO.Path.Combine(LogsPath, number + ".log");

    /// <summary>The Slurm job-array script that <c>nfm sweep slurm</c> writes.</summary>
    public string SlurmScriptPath => System.IO.Path.Combine(Path, "slurm", "sweep.sbatch");

    /// <summary>The task's number as its folder and log are named: <c>007</c>.</summary>
    public string Number(int index) => index.ToString("D" + IndexWidth.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>The record of task <paramref name="index"/>, or null if it never started.</summary>
    public TaskRecord? ReadRecord(int index) => File.Exists(TaskRecordPath(index)) ? TaskRecord.Read(TaskRecordPath(index)) : null;

    /// <summary>
    /// Whether task <paramref name="index"/> is finished: its record says done and its run's report is there. A task
    /// whose run folder or report was deleted by hand is not: running it again trains (or resumes) and evaluates it.
    /// </summary>
    public bool IsDone(int index) => ReadRecord(index)?.State == TaskState.Done && File.Exists(RunFolder(index).ReportPath);

    /// <summary>
    /// Creates a sweep in <paramref name="path"/> (which must not hold one): the definition, the schema beside it and
    /// the logs folder.
    /// </summary>
    /// <exception cref="InvalidOperationException">The folder already holds a sweep.</exception>
    public static SweepFolder Create(string path, SweepDefinition definition, string schema)
    {
        ArgumentNullException.ThrowIfNull(definition);
        definition.Validate();
        var folder = new SweepFolder(System.IO.Path.GetFullPath(path), definition);
        if (File.Exists(folder.DefinitionPath))
            throw new InvalidOperationException($"{folder.Path} already holds a sweep ({DefinitionFileName}); choose another folder");
        Directory.CreateDirectory(folder.LogsPath);
        AtomicFile.WriteText(System.IO.Path.Combine(folder.Path, SchemaFileName), schema);
        definition.Write(folder.DefinitionPath);
        return folder;
    }

    /// <summary>
    /// Opens the sweep in <paramref name="path"/> and checks that every task that has run still has the options it ran
    /// with: editing the grid after tasks have run would silently give old results new meanings.
    /// </summary>
    /// <exception cref="FileNotFoundException">The folder holds no sweep.</exception>
    /// <exception cref="InvalidDataException">The definition is invalid, or it was changed after a task ran; the message names the task and what changed.</exception>
    public static SweepFolder Open(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        var definitionPath = System.IO.Path.Combine(full, DefinitionFileName);
        if (!File.Exists(definitionPath))
            throw new FileNotFoundException($"{full} holds no sweep (no {DefinitionFileName}); create one with 'nfm sweep new'", definitionPath);
        var folder = new SweepFolder(full, SweepDefinition.Read(definitionPath));
        folder.CheckRecordsMatchDefinition();
        return folder;
    }

    /// <summary>
    /// Takes task <paramref name="index"/>'s lock for as long as the lease is not disposed, so that two processes given
    /// the same task (a requeue race, a double submission) cannot both run it.
    /// </summary>
    /// <exception cref="InvalidOperationException">Another process holds it; the message names the task and that process.</exception>
    public IDisposable LockTask(int index)
    {
        Directory.CreateDirectory(TaskPath(index));
        try
        {
            return new FileStream(System.IO.Path.Combine(TaskPath(index), TaskLockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException error)
        {
            var holder = ReadRecord(index) is { } record ? $" (process {record.ProcessId} on {record.Host})" : "";
            throw new InvalidOperationException($"task {index} of {Path} is being run by another process{holder}; this one leaves it alone", error);
        }
    }

    private void CheckRecordsMatchDefinition()
    {
        var tasksPath = System.IO.Path.Combine(Path, "tasks");
        if (!Directory.Exists(tasksPath))
            return;
        foreach (var taskPath in Directory.EnumerateDirectories(tasksPath).Order(StringComparer.Ordinal))
        {
            var recordPath = System.IO.Path.Combine(taskPath, TaskRecordFileName);
            if (!File.Exists(recordPath))
                continue;
            var record = TaskRecord.Read(recordPath);
            // A record names its own task: one that names another was damaged or copied, and says nothing of the grid.
            if (!int.TryParse(System.IO.Path.GetFileName(taskPath), NumberStyles.None, CultureInfo.InvariantCulture, out var folderIndex) || folderIndex != record.Index)
                throw new InvalidDataException(
                    $"{recordPath} is damaged: it records task {record.Index}, but lies in the folder of task {System.IO.Path.GetFileName(taskPath)}; "
                    + "delete it to run that task again");
            var changed = record.Index >= Definition.TaskCount
                ? $"the grid now has {Definition.TaskCount} tasks"
                : Difference(record, Definition.Task(record.Index));
            if (changed is not null)
                throw new InvalidDataException(
                    $"{DefinitionPath} was changed after task {record.Index} ran: {changed}. Tasks keep their index for good; "
                    + $"put the file back as it was, or start a new sweep in another folder (nfm sweep new DIR --from {DefinitionPath})");
        }
    }

    private string? Difference(TaskRecord record, SweepTask task)
    {
        if (!record.TrainOptions.SequenceEqual(task.TrainOptions))
            return $"it trained with {string.Join(" ", record.TrainOptions)}, the file now gives {string.Join(" ", task.TrainOptions)}";
        if (!record.EvaluateOptions.SequenceEqual(Definition.Evaluate))
            return $"it was evaluated with {Describe(record.EvaluateOptions)}, the file now gives {Describe(Definition.Evaluate)}";
        return null;
    }

    private static string Describe(IReadOnlyList<SweepOption> options) => options.Count == 0 ? "the defaults" : string.Join(" ", options);
}
