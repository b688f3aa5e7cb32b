using System.Text.Json;

namespace NfmGen.Training;

/// <summary>
/// The files of one training run: <c>run.json</c> (what and how), <c>metrics.jsonl</c> (one line per epoch) and
/// <c>checkpoint.bin</c> (the latest complete state, replaced atomically).
/// </summary>
public sealed class RunFolder
{
    /// <summary>A run folder at <paramref name="path"/> (not created until something is written).</summary>
    public RunFolder(string path) => Path = System.IO.Path.GetFullPath(path);

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>The run manifest's path.</summary>
    public string ManifestPath => System.IO.Path.Combine(Path, "run.json");

    /// <summary>The metrics log's path.</summary>
    public string MetricsPath => System.IO.Path.Combine(Path, "metrics.jsonl");

    /// <summary>The latest checkpoint's path.</summary>
    public string CheckpointPath => System.IO.Path.Combine(Path, "checkpoint.bin");

    /// <summary>Whether the folder holds a complete checkpoint to resume from.</summary>
    public bool HasCheckpoint => File.Exists(CheckpointPath);

    /// <summary>Reads the run manifest.</summary>
    public RunManifest ReadManifest() => RunManifest.Read(ManifestPath);

    /// <summary>The metrics of every finished epoch, in order.</summary>
    public IReadOnlyList<EpochMetrics> ReadMetrics() =>
        File.Exists(MetricsPath)
            ? File.ReadLines(MetricsPath)
                .Where(line => line.Length > 0)
                .Select(line => JsonSerializer.Deserialize<EpochMetrics>(line, TrainingJson.Options)!)
                .ToList()
            : [];

    /// <summary>Appends one epoch's metrics to the log, dropping lines of later epochs left by an interrupted run.</summary>
    internal void AppendMetrics(EpochMetrics metrics)
    {
        var kept = ReadMetrics().Where(line => line.Epoch < metrics.Epoch).Append(metrics);
        AtomicFile.WriteText(MetricsPath, string.Concat(kept.Select(line => JsonSerializer.Serialize(line, TrainingJson.Compact) + "\n")));
    }
}
