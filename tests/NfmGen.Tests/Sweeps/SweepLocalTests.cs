using NfmGen.Cli.Sweeps;
using NfmGen.Reports;
using NfmGen.Tracking;
using NfmGen.Tests.Cli;

namespace NfmGen.Tests.Sweeps;

/// <summary><c>nfm sweep local</c>: every unfinished task, its log, its exit code. Its Ctrl+C is in <see cref="SweepFaultTests"/>.</summary>
public sealed class SweepLocalTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    private NfmProcess.Result Nfm(params string[] arguments) => NfmProcess.Run(folder.Path, arguments);

    [Fact]
    public void A_failed_task_is_listed_with_its_error_the_others_finish_and_a_second_run_retries_only_what_is_not_done()
    {
        // The second dataset's files are missing: that task fails, the first one is done.
        Assert.Equal(0, Nfm("sweep", "new", "sw", "--grid", "dataset=moons,fashion-mnist", "--model", "toy-mlp", "--width", "8", "--data", folder.File("missing"),
            "--epochs", "2", "--device", "cpu", "--perturb", "white:0.1").ExitCode);

        var first = Nfm("sweep", "local", "sw");
        Assert.True(first.ExitCode == 1, first.ToString());
        Assert.Contains($"2 of 2 tasks to run (0 done), {Environment.ProcessorCount} at a time with 1 thread each", first.Output); // the defaults: a task per core
        Assert.Contains("task 000 done in", first.Output);
        Assert.Contains("1 of 2 tasks done; 1 not done:", first.Output);
        Assert.Matches(@"task 001 \(dataset=fashion-mnist\): exit code 1: IDX file not found: .*missing", first.Output);
        var sweep = SweepFolder.Open(folder.File("sw"));
        Assert.Equal((TaskState.Done, TaskState.Failed), (sweep.ReadRecord(0)!.State, sweep.ReadRecord(1)!.State));
        var log = File.ReadAllText(sweep.LogPath(1));
        Assert.Contains("nfm sweep run " + sweep.Path + " --task 1 --threads 1", log);
        Assert.Contains("error: IDX file not found", log);
        Assert.Contains("exit code 1 after", log);

        var second = Nfm("sweep", "local", "sw", "--parallel", "1");
        Assert.True(second.ExitCode == 1, second.ToString());
        Assert.Contains("1 of 2 tasks to run (1 done), 1 at a time", second.Output);
        Assert.DoesNotContain("task 000 started", second.Output);
        Assert.Equal(2, sweep.ReadRecord(1)!.Attempts);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(sweep.LogPath(1)), "error: IDX file not found").Count); // appended
    }

    [Fact]
    public void A_sweep_whose_tasks_are_all_done_exits_0_at_once_and_a_task_held_by_another_process_is_left_alone()
    {
        Assert.Equal(0, Nfm("sweep", "new", "sw", "--grid", "seed=1..2", "--model", "toy-mlp", "--width", "8", "--dataset", "moons", "--epochs", "1", "--device", "cpu",
            "--perturb", "white:0.1").ExitCode);
        var sweep = SweepFolder.Open(folder.File("sw"));
        using (sweep.LockTask(1))
        {
            var held = Nfm("sweep", "local", "sw");
            Assert.True(held.ExitCode == 1, held.ToString());
            Assert.Contains("task 001 left alone: task 1 of " + sweep.Path + " is being run by another process", held.Output);
            Assert.Null(sweep.ReadRecord(1));
            Assert.Equal(TaskState.Done, sweep.ReadRecord(0)!.State);
        }

        Assert.Equal(0, Nfm("sweep", "local", "sw").ExitCode);
        var again = Nfm("sweep", "local", "sw");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("All 2 tasks of " + sweep.Path + " are done.", again.Output);

        // Each task's TensorBoard events under the sweep's tensorboard/, named after what varies, its evaluation beside
        // its curves at the step of the checkpoint it scored.
        Assert.Equal("000-seed=1", sweep.TaskName(0));
        var board = Path.Combine(sweep.TensorBoardPath, sweep.TaskName(0));
        var training = EventRecord.ReadAll(File.ReadAllBytes(Path.Combine(board, TensorBoardLog.TrainingFileName)), out var intact);
        Assert.True(intact);
        var evaluation = EventRecord.ReadAll(File.ReadAllBytes(Path.Combine(board, TensorBoardLog.EvaluationFolderName, TensorBoardLog.EvaluationFileName)), out _)[^1];
        Assert.Equal(training.Last(record => record.Scalars.Any(scalar => scalar.Tag == "accuracy/test")).Step, evaluation.Step);
        var report = RobustnessReport.Load(sweep.RunFolder(0).ReportPath).Rows[0];
        Assert.Equal([("robustness/clean", (float)report.CleanAccuracy), ("robustness/WhiteNoise_0.1", (float)report.Results[0].Accuracy)], evaluation.Scalars);
        Assert.Empty(Directory.GetFiles(sweep.RunFolder(0).Path, "*tfevents*"));

        // Each task's model, named as its TensorBoard run.
        var export = Nfm("sweep", "export", "sw", "--out", "models");
        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.Contains("Exported 2 of 2 tasks to " + folder.File("models"), export.Output);
        Assert.Equal(["000-seed=1.onnx", "001-seed=2.onnx"], Directory.GetFiles(folder.File("models")).Select(Path.GetFileName).Order());
        using var model = new Interop.OnnxRuntimeModel(folder.File("models/001-seed=2.onnx"));
        Assert.Equal([-1, 2], model.Inputs[NfmGen.Interop.OnnxExport.InputName].Dimensions);
        Assert.Equal("seed=2", model.Metadata.CustomMetadataMap["task"]);

        // Each task's smoothness, then the group's mean ± std over the two seeds, in its own table and in the report.
        var analyze = Nfm("sweep", "analyze", "sw", "--samples", "20", "--probes", "1", "--device", "cpu");
        Assert.True(analyze.ExitCode == 0, analyze.ToString());
        Assert.Contains("Analysed 2 task(s).", analyze.Output);
        Assert.True(File.Exists(Path.Combine(sweep.RunFolder(1).Path, SmoothnessSummary.FileName)));
        Assert.Matches(@"\| all tasks \| 1 \| hidden1 \| [0-9.e+-]+ ± [0-9.e+-]+ \|.* \| n=2 of 2 \|", analyze.Output);
        Assert.Equal(File.ReadAllText(Path.Combine(sweep.Path, "smoothness.md")).Trim(), analyze.Output[analyze.Output.IndexOf("Smoothness", StringComparison.Ordinal)..].Split("Wrote")[0].Trim());
        Assert.Contains("Smoothness (nfm sweep analyze), logits / T", Nfm("sweep", "report", "sw").Output);
        Assert.Contains("Analysed 0 task(s).", Nfm("sweep", "analyze", "sw", "--samples", "20", "--probes", "1", "--device", "cpu").Output);
    }
}
