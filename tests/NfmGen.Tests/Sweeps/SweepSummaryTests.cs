using NfmGen.Cli.Sweeps;
using NfmGen.Reports;

namespace NfmGen.Tests.Sweeps;

/// <summary><see cref="SweepSummary"/>: the groups' means and stds from hand-made task records and report.json files.</summary>
public sealed class SweepSummaryTests : IDisposable
{
    private readonly HandMadeSweep sweep = new(HandMadeSweep.SchemesBySeeds);

    public void Dispose() => sweep.Dispose();

    private static void Equal(double expected, Spread? actual, double? deviation, int count)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected, actual.Value.Mean, 12);
        if (deviation is null)
            Assert.Null(actual.Value.StandardDeviation);
        else
            Assert.Equal(deviation.Value, actual.Value.StandardDeviation!.Value, 12);
        Assert.Equal(count, actual.Value.Count);
    }

    private void ErmDoneNfmPartly()
    {
        sweep.Done(0, 0.90, 0.80, 0.60);
        sweep.Done(1, 0.92, 0.84, 0.70);
        sweep.Done(2, 0.94, 0.88, 0.80);
        sweep.Done(3, 0.85, 0.83, 0.75);
        sweep.Record(4, TaskState.Failed, error: "out of memory");
    }

    [Fact]
    public void Each_cell_is_the_mean_and_sample_std_of_the_groups_finished_seeds()
    {
        ErmDoneNfmPartly();

        var report = SweepSummary.Read(sweep.Folder);

        Assert.Equal(["σ 0.1", "σ 0.2"], report.Columns.Select(column => column.Header));
        var erm = report.Rows[0];
        Assert.Equal("erm", erm.Name);
        Equal(0.92, erm.Clean, 0.02, 3);
        Equal(0.84, erm.Results[0], 0.04, 3);
        Equal(0.70, erm.Results[1], 0.10, 3);
        Assert.Equal(new SeedCount(3, 3, []), erm.Seeds);
        Assert.Equal("n=3", erm.Seeds!.Describe());
        Assert.Empty(report.Notes);
        Assert.Equal("ToyMlp on moons-test (sweep sweep): mean ± std over seeds", report.Title);
    }

    [Fact]
    public void A_group_with_failed_or_pending_seeds_is_marked_and_averages_only_its_finished_seeds()
    {
        ErmDoneNfmPartly();

        var nfm = SweepSummary.Read(sweep.Folder).Rows[1];

        Equal(0.85, nfm.Clean, null, 1);
        Equal(0.83, nfm.Results[0], null, 1);
        Assert.False(nfm.Seeds!.IsComplete);
        Assert.Equal("n=1 of 3, 1 failed, 1 pending", nfm.Seeds.Describe());
    }

    [Fact]
    public void A_group_with_no_finished_seed_has_a_row_with_no_value()
    {
        sweep.Done(0, 0.9, 0.8, 0.6);
        sweep.Record(3, TaskState.Stopped);
        sweep.Record(4, TaskState.Running, processId: int.MaxValue);
        sweep.Record(5, TaskState.Running);

        var nfm = SweepSummary.Read(sweep.Folder).Rows[1];

        Assert.Null(nfm.Clean);
        Assert.Equal([null, null], nfm.Results);
        Assert.Equal("n=0 of 3, 1 interrupted, 1 stopped, 1 running", nfm.Seeds!.Describe());
    }

    [Fact]
    public void Columns_that_not_every_run_has_are_left_out_with_a_note()
    {
        sweep.Done(0, 0.90, 0.80, 0.60);
        sweep.Done(3, 0.85, 0.83);

        var report = SweepSummary.Read(sweep.Folder);

        Assert.Equal(["σ 0.1"], report.Columns.Select(column => column.Header));
        Assert.Equal(["column σ 0.2 left out: only 1 of the 2 finished runs were evaluated there"], report.Notes);
    }

    [Fact]
    public void A_done_task_without_its_report_is_counted_missing_and_named_in_a_note()
    {
        sweep.Done(0, 0.90, 0.80, 0.60);
        sweep.Record(1, TaskState.Done);
        Directory.CreateDirectory(sweep.Folder.RunFolder(2).Path);
        File.WriteAllText(sweep.Folder.RunFolder(2).ReportPath, "{ not json");
        sweep.Record(2, TaskState.Done);

        var report = SweepSummary.Read(sweep.Folder);

        Assert.Equal("n=1 of 3, 1 without report, 1 with a damaged report", report.Rows[0].Seeds!.Describe());
        Assert.Equal(2, report.Notes.Count);
        Assert.Contains("task 1 (scheme=erm seed=2) is done but has no", report.Notes[0]);
        Assert.Contains("is not a robustness report", report.Notes[1]);
    }

    [Fact]
    public void The_papers_rows_follow_with_their_values_in_the_sweeps_columns()
    {
        ErmDoneNfmPartly();

        var report = SweepSummary.Read(sweep.Folder, PaperTable.Cifar10PreActResNet18);

        Assert.Equal(2 + PaperResults.Rows(PaperTable.Cifar10PreActResNet18).Count, report.Rows.Count);
        var baseline = report.Rows[2];
        Assert.Equal(("Baseline", "paper", (SeedCount?)null), (baseline.Name, baseline.Source, baseline.Seeds));
        Equal(0.946, baseline.Clean, null, 1);
        Equal(0.904, baseline.Results[0], null, 1);
        Equal(0.767, baseline.Results[1], null, 1);
    }
}
