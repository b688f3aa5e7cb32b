using NfmGen.Training;

namespace NfmGen.Tracking;

/// <summary>
/// A run's TensorBoard event files: <c>events.out.tfevents.nfm-train</c>, appended while the run trains, and
/// <c>robustness/events.out.tfevents.nfm-eval</c>, written whole by each evaluation (a run of its own in TensorBoard, so
/// that the training file stays the last of its folder, as TensorBoard's reader expects). A resumed run first drops
/// the events its checkpoint does not cover (as PyTorch's <c>purge_step</c> makes TensorBoard do), so that no step
/// appears twice; a tail torn by a crash is dropped with them.
/// </summary>
internal sealed class TensorBoardLog : IDisposable
{
    /// <summary>The training events' file name (TensorBoard reads files whose name holds <c>tfevents</c>).</summary>
    public const string TrainingFileName = "events.out.tfevents.nfm-train";

    /// <summary>The evaluation events' file name.</summary>
    public const string EvaluationFileName = "events.out.tfevents.nfm-eval";

    /// <summary>The subfolder of the evaluation events.</summary>
    public const string EvaluationFolderName = "robustness";

    private readonly FileStream file;

    private TensorBoardLog(FileStream file) => this.file = file;

    /// <summary>
    /// Opens the training events in <paramref name="folder"/> (created if needed) to append what follows global step
    /// <paramref name="step"/>, where the run starts or resumes. Events of later steps are dropped first, and so are the
    /// epoch's events at that step unless <paramref name="epochEnded"/> (a checkpoint taken within or at the end of an
    /// epoch's steps, before the epoch's evaluation, does not cover them: the resumed run writes them again).
    /// </summary>
    public static TensorBoardLog Open(string folder, long step, bool epochEnded)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, TrainingFileName);
        bool Covered(EventRecord record) =>
            record.Step < step || (record.Step == step && (epochEnded || !record.Scalars.Any(scalar => scalar.Tag == EpochTag)));
        var kept = File.Exists(path) ? EventRecord.ReadAll(File.ReadAllBytes(path), out _).Where(Covered).ToList() : [];
        if (kept.Count == 0)
            kept.Add(new EventRecord(Now, 0, EventRecord.Version, []));
        AtomicFile.Write(path, stream =>
        {
            foreach (var record in kept)
                stream.Write(record.Frame());
        });
        // Readable by others (TensorBoard reads the file while it grows).
        return new TensorBoardLog(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read));
    }

    /// <summary>Appends one event of <paramref name="scalars"/> at <paramref name="step"/> and flushes it to the file.</summary>
    public void Write(long step, IEnumerable<(string Tag, double Value)> scalars)
    {
        file.Write(new EventRecord(Now, step, null, [.. scalars.Select(scalar => (scalar.Tag, (float)scalar.Value))]).Frame());
        file.Flush();
    }

    /// <summary>
    /// Writes the evaluation events of the run whose events are in <paramref name="folder"/> anew, in its
    /// <see cref="EvaluationFolderName"/> subfolder: the file version, then <paramref name="scalars"/> at <paramref name="step"/>.
    /// </summary>
    public static void WriteEvaluation(string folder, long step, IEnumerable<(string Tag, double Value)> scalars)
    {
        var evaluation = Path.Combine(folder, EvaluationFolderName);
        Directory.CreateDirectory(evaluation);
        var now = Now;
        AtomicFile.Write(Path.Combine(evaluation, EvaluationFileName), stream =>
        {
            stream.Write(new EventRecord(now, 0, EventRecord.Version, []).Frame());
            stream.Write(new EventRecord(now, step, null, [.. scalars.Select(scalar => (scalar.Tag, (float)scalar.Value))]).Frame());
        });
    }

    /// <summary>The tags and values of one epoch's metrics (TensorBoard groups tags by the part before the slash).</summary>
    public static IEnumerable<(string Tag, double Value)> EpochScalars(EpochMetrics metrics)
    {
        yield return ("loss/train", metrics.TrainLoss);
        yield return ("accuracy/train", metrics.TrainAccuracy);
        if (metrics.ValidationLoss is { } validationLoss)
            yield return ("loss/validation", validationLoss);
        if (metrics.ValidationAccuracy is { } validationAccuracy)
            yield return ("accuracy/validation", validationAccuracy);
        if (metrics.TestLoss is { } testLoss)
            yield return ("loss/test", testLoss);
        if (metrics.TestAccuracy is { } testAccuracy)
            yield return ("accuracy/test", testAccuracy);
        if (metrics.EmaValidationAccuracy is { } emaValidation)
            yield return ("accuracy/validation_ema", emaValidation);
        if (metrics.EmaTestAccuracy is { } emaTest)
            yield return ("accuracy/test_ema", emaTest);
        yield return ("learning_rate", metrics.LearningRate);
        yield return ("images_per_second", metrics.ImagesPerSecond);
        yield return (EpochTag, metrics.Epoch);
    }

    /// <summary>The tag that marks an epoch's event.</summary>
    public const string EpochTag = "epoch";

    /// <summary>The folder of the event files of the run in <paramref name="runFolder"/> with <paramref name="options"/>.</summary>
    public static string FolderOf(string runFolder, TrainingOptions options) => Path.GetFullPath(options.TensorBoardFolder ?? ".", runFolder);

    /// <summary>The tag of the training loss logged every few steps.</summary>
    public const string StepLossTag = "loss/train_step";

    // Seconds since the Unix epoch, with their fractions (TensorBoard's relative time axis needs them).
    private static double Now => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

    /// <summary>Closes the file.</summary>
    public void Dispose() => file.Dispose();
}
