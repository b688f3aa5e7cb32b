using System.Text.Json;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NfmGen.Training;

/// <summary>
/// The files of one training run, and the one place that names them: <c>run.json</c> (what and how),
/// <c>metrics.jsonl</c> (one line per epoch) and <c>metrics.csv</c> (the same as a table), <c>checkpoint.bin</c> (the
/// latest complete state) and <c>checkpoint.previous.bin</c> (the one before it), <c>best.bin</c> (the best epoch's
/// weights on the validation split), <c>run.lock</c> (held while a process trains), and the command line's
/// <c>nfm.json</c> (how to rebuild the network and data) and <c>report.json</c> (the robustness report). The
/// TensorBoard events are named by <see cref="Tracking.TensorBoardLog"/>.
/// </summary>
/// <remarks>
/// A process writes into a run folder only while it holds the folder's lock (<see cref="LockForNewRun"/>,
/// <see cref="Lock"/>), so two processes started into one folder at the same moment cannot mix their files.
/// </remarks>
internal sealed class RunFolder
{
    /// <summary>The run manifest's file name.</summary>
    public const string ManifestFileName = "run.json";

    /// <summary>The metrics log's file name.</summary>
    public const string MetricsFileName = "metrics.jsonl";

    /// <summary>The metrics as a table, for spreadsheets and pandas: one row per epoch, the same fields as the log's.</summary>
    public const string MetricsTableFileName = "metrics.csv";

    /// <summary>The latest checkpoint's file name.</summary>
    public const string CheckpointFileName = "checkpoint.bin";

    /// <summary>The file name of the checkpoint before the latest one, kept so that a damaged latest one loses at most one more interval.</summary>
    public const string PreviousCheckpointFileName = "checkpoint.previous.bin";

    /// <summary>The file name of the weights of the best epoch on the validation split (a checkpoint without optimiser state).</summary>
    public const string BestCheckpointFileName = "best.bin";

    /// <summary>The file name of the best weights before the latest ones, kept until the checkpoint that records the latest is written.</summary>
    public const string PreviousBestCheckpointFileName = "best.previous.bin";

    /// <summary>The lock file's name.</summary>
    public const string LockFileName = "run.lock";

    /// <summary>The file name of the command line's model spec (zoo model, width, dataset).</summary>
    public const string ModelSpecFileName = "nfm.json";

    /// <summary>The file name of the robustness report that <c>nfm eval</c> writes and <c>nfm compare</c> reads.</summary>
    public const string ReportFileName = "report.json";

    /// <summary>A run folder at <paramref name="path"/> (not created until something is written).</summary>
    public RunFolder(string path) => Path = System.IO.Path.GetFullPath(path);

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>The run manifest's path.</summary>
    public string ManifestPath => File(ManifestFileName);

    /// <summary>The metrics log's path.</summary>
    public string MetricsPath => File(MetricsFileName);

    /// <summary>The metrics table's path.</summary>
    public string MetricsTablePath => File(MetricsTableFileName);

    /// <summary>The latest checkpoint's path.</summary>
    public string CheckpointPath => File(CheckpointFileName);

    /// <summary>The previous checkpoint's path.</summary>
    public string PreviousCheckpointPath => File(PreviousCheckpointFileName);

    /// <summary>The best epoch's weights' path.</summary>
    public string BestCheckpointPath => File(BestCheckpointFileName);

    /// <summary>The previous best weights' path.</summary>
    public string PreviousBestCheckpointPath => File(PreviousBestCheckpointFileName);

    /// <summary>The lock file's path.</summary>
    public string LockPath => File(LockFileName);

    /// <summary>The command line's model spec's path.</summary>
    public string ModelSpecPath => File(ModelSpecFileName);

    /// <summary>The robustness report's path.</summary>
    public string ReportPath => File(ReportFileName);

    /// <summary>Whether a run was started in this folder (its manifest exists).</summary>
    public bool HoldsRun => System.IO.File.Exists(ManifestPath);

    /// <summary>Whether the folder holds a checkpoint to resume from (the latest, or the one before it).</summary>
    public bool HasCheckpoint => System.IO.File.Exists(CheckpointPath) || System.IO.File.Exists(PreviousCheckpointPath);

    /// <summary>Reads the run manifest.</summary>
    /// <exception cref="InvalidDataException">The manifest is not valid JSON or lacks a field; the message names the file and the field.</exception>
    internal RunManifest ReadManifest() => RunManifest.Read(ManifestPath);

    /// <summary>
    /// Creates the folder and takes its exclusive lock, for as long as the returned lease is not disposed. The lock is
    /// the operating system's (released when the process ends, however it ends), so a leftover <c>run.lock</c> is harmless.
    /// </summary>
    /// <exception cref="InvalidOperationException">Another process holds the lock.</exception>
    internal RunFolderLock Lock()
    {
        Directory.CreateDirectory(Path);
        try
        {
            return new RunFolderLock(new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException error)
        {
            throw new InvalidOperationException($"{Path} is in use by another process, which is training it ({error.Message})", error);
        }
    }

    /// <summary>
    /// Takes the lock (<see cref="Lock"/>) for a new run: refuses a folder that already holds one, and removes the files
    /// of a start that never got as far as its manifest, so that nothing of it can be mistaken for this run's.
    /// </summary>
    /// <exception cref="InvalidOperationException">Another process holds the lock, or the folder already holds a run.</exception>
    internal RunFolderLock LockForNewRun()
    {
        var lease = Lock();
        if (HoldsRun)
        {
            lease.Dispose();
            throw new InvalidOperationException($"{Path} already holds a run; resume it, or choose another run folder");
        }
        RemoveUnstartedRun();
        return lease;
    }

    /// <summary>
    /// Removes the files of a run that did not start (it has no manifest, or its start failed before the run began).
    /// Call only while holding the lock of a new run.
    /// </summary>
    internal void RemoveUnstartedRun()
    {
        // The TensorBoard events too, where they are in the folder itself (the default).
        foreach (var name in (string[])[ManifestFileName, ModelSpecFileName, MetricsFileName, MetricsTableFileName, CheckpointFileName, PreviousCheckpointFileName, BestCheckpointFileName, PreviousBestCheckpointFileName,
                     Tracking.TensorBoardLog.TrainingFileName])
        {
            System.IO.File.Delete(File(name));
            System.IO.File.Delete(File(name) + AtomicFile.TemporarySuffix);
        }
    }

    /// <summary>The metrics of every finished epoch, in order.</summary>
    /// <exception cref="InvalidDataException">A line is not an epoch's metrics; the message names the file and the line.</exception>
    public IReadOnlyList<EpochMetrics> ReadMetrics()
    {
        if (!System.IO.File.Exists(MetricsPath))
            return [];
        var metrics = new List<EpochMetrics>();
        var number = 0;
        foreach (var line in System.IO.File.ReadLines(MetricsPath))
        {
            number++;
            if (line.Length == 0)
                continue;
            try
            {
                metrics.Add(JsonSerializer.Deserialize<EpochMetrics>(line, TrainingJson.Options) ?? throw new JsonException("null"));
            }
            catch (JsonException error)
            {
                throw new InvalidDataException($"{MetricsPath}, line {number}, is not an epoch's metrics: {error.Message}", error);
            }
        }
        return metrics;
    }

    /// <summary>
    /// Appends one epoch's metrics to the log, dropping lines of later epochs left by an interrupted run, and writes the
    /// table anew from the log.
    /// </summary>
    internal void AppendMetrics(EpochMetrics metrics)
    {
        List<EpochMetrics> kept = [.. ReadMetrics().Where(line => line.Epoch < metrics.Epoch), metrics];
        AtomicFile.WriteText(MetricsPath, string.Concat(kept.Select(line => JsonSerializer.Serialize(line, TrainingJson.Compact) + "\n")));
        AtomicFile.WriteText(MetricsTablePath, MetricsTable.Csv(kept));
    }

    /// <summary>
    /// Writes a checkpoint as the latest one, keeping the latest so far as the previous one: the new file is written
    /// and flushed to disk beside them, then the latest is renamed to the previous and the new one to the latest.
    /// A crash at any moment leaves at least one complete checkpoint.
    /// </summary>
    internal void SaveCheckpoint(
        CheckpointHeader header, nn.Module model, OptimizerHelper? optimizer, IReadOnlyList<Tensor> generatorStates, IReadOnlyList<Tensor>? averages = null) =>
        AtomicFile.WriteKeepingPrevious(CheckpointPath, PreviousCheckpointPath, stream => Checkpoint.Write(stream, header, model, optimizer, generatorStates, averages ?? []));

    /// <summary>Writes the best epoch's weights (no optimiser or generator state), keeping the best before them as the previous.</summary>
    internal void SaveBest(CheckpointHeader header, nn.Module model) =>
        AtomicFile.WriteKeepingPrevious(BestCheckpointPath, PreviousBestCheckpointPath, stream => Checkpoint.Write(stream, header, model, null, [], []));

    /// <summary>
    /// Makes <c>best.bin</c> the weights of <paramref name="recordedEpoch"/>, the best epoch the checkpoint records: a
    /// crash between a new best and the checkpoint that records it leaves the new one ahead, and the recorded one as the
    /// previous. Weights of no recorded epoch are removed.
    /// </summary>
    internal void KeepRecordedBest(int? recordedEpoch)
    {
        int? EpochOf(string path) => System.IO.File.Exists(path) ? Checkpoint.ReadHeader(path).Progress.Best?.Epoch : null;
        if (!System.IO.File.Exists(BestCheckpointPath) || EpochOf(BestCheckpointPath) == recordedEpoch)
            return;
        if (recordedEpoch is not null && EpochOf(PreviousBestCheckpointPath) == recordedEpoch)
            System.IO.File.Move(PreviousBestCheckpointPath, BestCheckpointPath, overwrite: true);
        else
            System.IO.File.Delete(BestCheckpointPath);
    }

    private string File(string name) => System.IO.Path.Combine(Path, name);
}

/// <summary>A held run-folder lock (<see cref="RunFolder.Lock"/>); dispose it to release the folder.</summary>
internal sealed class RunFolderLock : IDisposable
{
    private readonly FileStream file;

    internal RunFolderLock(FileStream file) => this.file = file;

    /// <summary>Releases the lock.</summary>
    public void Dispose() => file.Dispose();
}
