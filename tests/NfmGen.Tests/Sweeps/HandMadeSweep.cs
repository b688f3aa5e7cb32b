using NfmGen.Cli.Sweeps;
using NfmGen.Reports;
using NfmGen.Training;

namespace NfmGen.Tests.Sweeps;

/// <summary>
/// A sweep folder written by hand, as tasks would leave it: task records in any state, run folders with metrics lines
/// and a manifest, and report.json files with chosen accuracies, so that status and report can be checked exactly.
/// </summary>
internal sealed class HandMadeSweep : IDisposable
{
    private readonly TempDirectory folder = new();

    public HandMadeSweep(SweepDefinition definition)
    {
        Folder = SweepFolder.Create(folder.File("sweep"), definition, SweepSchema.Text);
    }

    /// <summary>Two schemes x three seeds of toy-mlp on moons, evaluated under white noise 0.1 and 0.2.</summary>
    public static SweepDefinition SchemesBySeeds { get; } = new(
        [new SweepOption("model", "toy-mlp"), new SweepOption("dataset", "moons"), new SweepOption("epochs", "4")],
        [new GridAxis("scheme", ["erm", "nfm"]), new GridAxis("seed", ["1", "2", "3"])],
        [new SweepOption("perturb", "white:0.1,0.2")]);

    public SweepFolder Folder { get; }

    public void Dispose() => folder.Dispose();

    /// <summary>Writes task <paramref name="index"/>'s record in <paramref name="state"/>.</summary>
    public void Record(int index, TaskState state, string? error = null, int restarts = 0, int? processId = null)
    {
        Directory.CreateDirectory(Folder.TaskPath(index));
        var record = TaskRecord.NotStarted(Folder.Definition.Task(index), Folder.Definition.Evaluate) with
        {
            State = state,
            Attempts = 1,
            Restarts = restarts,
            Error = error,
            ExitCode = state is TaskState.Done ? 0 : state is TaskState.Failed ? 1 : null,
            ProcessId = processId ?? Environment.ProcessId,
        };
        record.Write(Folder.TaskRecordPath(index));
    }

    /// <summary>Records task <paramref name="index"/> done, with a report of these accuracies (clean, then one per white-noise level 0.1, 0.2, ...).</summary>
    public void Done(int index, double clean, params double[] white)
    {
        Record(index, TaskState.Done);
        var results = white.Select((accuracy, i) => PerturbationResult.WhiteNoise(Math.Round(0.1 * (i + 1), 1), accuracy)).ToArray();
        ReportJson.Save(new RobustnessReport("ToyMlp on moons-test", [new ReportRow(Folder.Definition.Task(index).Value("scheme")!, clean, results)]), Folder.RunFolder(index).ReportPath);
    }

    /// <summary>Writes task <paramref name="index"/>'s run manifest (<paramref name="epochs"/> epochs) and one metrics line per entry of <paramref name="seconds"/>.</summary>
    public void Trained(int index, int epochs, params double[] seconds)
    {
        var run = Folder.RunFolder(index);
        Directory.CreateDirectory(run.Path);
        new RunManifest("ToyMlp", 100, 2, "moons", "moons-test", TrainingScheme.Erm(), new TrainingOptions { Epochs = epochs }, DateTimeOffset.UtcNow).Write(run.ManifestPath);
        File.WriteAllLines(run.MetricsPath, seconds.Select((time, i) => FormattableString.Invariant(
            $"{{\"epoch\":{i + 1},\"trainLoss\":0.5,\"trainAccuracy\":0.8,\"testLoss\":0.4,\"testAccuracy\":{0.5 + 0.1 * i},\"learningRate\":0.1,\"imagesPerSecond\":100,\"seconds\":{time}}}")));
    }
}
