using NfmGen.Cli.Sweeps;

namespace NfmGen.Tests.Sweeps;

/// <summary><see cref="SweepStatus"/>: each task's state, epoch and accuracy, the totals and the work left, from hand-made records.</summary>
public sealed class SweepStatusTests : IDisposable
{
    private readonly HandMadeSweep sweep = new(HandMadeSweep.SchemesBySeeds);

    public void Dispose() => sweep.Dispose();

    [Fact]
    public void Each_task_shows_its_state_epoch_last_test_accuracy_requeues_and_error()
    {
        sweep.Done(0, 0.9, 0.8);
        sweep.Trained(0, 4, 2, 2, 2, 2);
        sweep.Record(1, TaskState.Running, restarts: 2); // this very process: alive
        sweep.Trained(1, 4, 4);
        sweep.Record(2, TaskState.Running, processId: int.MaxValue); // no such process on this machine
        sweep.Record(3, TaskState.Failed, error: "no data in /nowhere");
        sweep.Record(4, TaskState.Stopped);

        var status = SweepStatus.Read(sweep.Folder);

        Assert.Equal(
            [TaskCondition.Done, TaskCondition.Running, TaskCondition.Interrupted, TaskCondition.Failed, TaskCondition.Stopped, TaskCondition.Pending],
            status.Tasks.Select(task => task.Condition));
        Assert.Equal([4, 1, 0, 0, 0, 0], status.Tasks.Select(task => task.EpochsDone));
        Assert.Equal(0.8, status.Tasks[0].TestAccuracy!.Value, 12);
        Assert.Equal((2, 0.5), (status.Tasks[1].Restarts, status.Tasks[1].TestAccuracy));
        Assert.Equal("no data in /nowhere", status.Tasks[3].Error);
        Assert.All(status.Tasks, task => Assert.Equal(4, task.Epochs)); // from run.json, else from the sweep's epochs option

        var text = SweepStatusRenderer.Text(status);
        Assert.Contains("001   running        1/4     50.0%         2  scheme=erm seed=2", text);
        Assert.Contains("002   interrupted    0/4         -         0  scheme=erm seed=3", text);
        Assert.Contains("scheme=nfm seed=1  error: no data in /nowhere", text);
        Assert.Contains("Totals: 1 pending, 1 running, 1 interrupted, 1 stopped, 1 done, 1 failed", text);
    }

    [Fact]
    public void A_task_recorded_done_whose_report_is_gone_is_unevaluated_not_done()
    {
        sweep.Done(0, 0.9, 0.8);
        sweep.Trained(0, 4, 2, 2, 2, 2);
        sweep.Done(1, 0.9, 0.8);
        File.Delete(sweep.Folder.RunFolder(1).ReportPath);

        var status = SweepStatus.Read(sweep.Folder);

        Assert.Equal((TaskCondition.Done, TaskCondition.Unevaluated), (status.Tasks[0].Condition, status.Tasks[1].Condition));
        Assert.False(sweep.Folder.IsDone(1)); // what 'sweep local' and 'sweep run' go by: they evaluate it again
        Assert.Contains("001   unevaluated", SweepStatusRenderer.Text(status));
    }

    [Fact]
    public void The_work_left_is_the_epochs_left_times_the_mean_seconds_of_the_finished_epochs()
    {
        sweep.Done(0, 0.9, 0.8);
        sweep.Trained(0, 4, 10, 20, 30, 40);
        sweep.Record(1, TaskState.Stopped);
        sweep.Trained(1, 4, 50);

        var status = SweepStatus.Read(sweep.Folder);

        Assert.Equal(30, status.SecondsPerEpoch!.Value, 12); // (10 + 20 + 30 + 40 + 50) / 5
        Assert.Equal(3 + 4 * 4, status.EpochsLeft);
        Assert.Equal(19 * 30, status.SecondsLeft!.Value, 9);
        Assert.Equal("Work left: 19 epochs x 30.0 s per epoch (mean of 5 finished epochs) = about 10 min, one task at a time (training only; an estimate).",
            SweepStatusRenderer.WorkLeft(status));
    }

    [Fact]
    public void Before_any_epoch_the_estimate_says_nothing_was_measured()
    {
        var status = SweepStatus.Read(sweep.Folder);

        Assert.Null(status.SecondsLeft);
        Assert.Equal(24, status.EpochsLeft);
        Assert.Contains(SweepStatusRenderer.NothingMeasured, SweepStatusRenderer.Text(status));
        Assert.Contains("Totals: 6 pending", SweepStatusRenderer.Text(status));
    }

    [Fact]
    public void Json_holds_each_tasks_state_and_the_estimate()
    {
        sweep.Record(3, TaskState.Failed, error: "boom");

        var json = System.Text.Json.Nodes.JsonNode.Parse(SweepStatusRenderer.Json(SweepStatus.Read(sweep.Folder)))!;

        var failed = json["tasks"]![3]!;
        Assert.Equal(("failed", "boom", "nfm", "1"), ((string)failed["state"]!, (string)failed["error"]!, (string)failed["values"]!["scheme"]!, (string)failed["values"]!["seed"]!));
        Assert.Equal((5, 1), ((int)json["totals"]!["pending"]!, (int)json["totals"]!["failed"]!));
        Assert.Null(json["secondsLeft"]);
    }

    [Theory]
    [InlineData(4.24, "4.2 s")]
    [InlineData(59.99, "1 min")]
    [InlineData(3599, "1 h 0 min")]
    [InlineData(3 * 3600 + 20 * 60, "3 h 20 min")]
    [InlineData(2 * 86400 + 5 * 3600, "2 d 5 h")]
    public void Durations_read_as_a_person_writes_them(double seconds, string expected) =>
        Assert.Equal(expected, SweepStatusRenderer.Duration(seconds));
}
