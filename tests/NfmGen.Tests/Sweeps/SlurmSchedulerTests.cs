using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NfmGen.Cli.Sweeps;
using NfmGen.Tests.Cli;
using NfmGen.Training;

namespace NfmGen.Tests.Sweeps;

/// <summary>
/// <c>nfm sweep status</c> and <c>nfm sweep slurm</c> asking the real Slurm cluster (<see cref="SlurmCluster"/>, which has
/// no accounting but a job completion log): a task whose job was cancelled shows lost, running or pending; a
/// resubmission submits only the unfinished tasks; a task requeued past <c>--max-requeues</c> stops as failed, saying why.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SlurmSchedulerTests : IDisposable
{
    private const int Epochs = SlurmCluster.TaskEpochs;
    private static readonly TimeSpan Patience = SlurmCluster.Patience;

    private readonly TempDirectory folder = new();
    private readonly List<string> jobs = [];

    public void Dispose()
    {
        // The tasks still running write into the folder until Slurm has ended them.
        foreach (var job in jobs)
            SlurmCluster.CancelAndWait(job);
        folder.Dispose();
    }

    [SkippableFact]
    public void A_task_cancelled_while_running_shows_lost_and_a_resubmission_runs_only_what_is_left()
    {
        SlurmCluster.Require();
        var (sweep, job) = Submit();
        var task = WaitFor(sweep, job, index => IsMidTraining(sweep, index)).First();

        SlurmCluster.Run("scancel", $"{job}_{task}");
        var lost = WaitForState(sweep, task, "lost");
        Assert.True((string)lost["scheduler"]!["state"]! == "CANCELLED", $"{lost.ToJsonString()}\n{sweep.ReadRecord(task)}");
        Assert.Equal(job + "_" + task.ToString(CultureInfo.InvariantCulture), sweep.ReadRecord(task)!.Jobs.Single());

        // The other tasks finish (or are still Slurm's): the resubmission holds the lost one and nothing Slurm still runs.
        var again = Nfm("sweep", "slurm", sweep.Path, "--submit", "--cpus-per-task", "1");
        Assert.True(again.ExitCode == 0, again.ToString());
        var second = Regex.Match(again.Output, @"Submitted job array (\d+): tasks ([0-9,\-]+) ").Groups;
        jobs.Add(second[1].Value);
        var resubmitted = IndexRanges.Parse(second[2].Value);
        Assert.Contains(task, resubmitted);
        Assert.All(resubmitted, index => Assert.NotEqual(TaskState.Done, sweep.ReadRecord(index)?.State));
        WaitUntilEveryTaskIsDone(sweep, second[1].Value);

        var record = sweep.ReadRecord(task)!;
        Assert.Equal(2, record.Attempts);
        Assert.Equal([$"{job}_{task}", $"{second[1].Value}_{task}"], record.Jobs);
        Assert.Contains($"Resuming from the checkpoint in {sweep.RunFolder(task).Path}", File.ReadAllText(sweep.LogPath(task)));
        var nothing = Nfm("sweep", "slurm", sweep.Path, "--submit");
        Assert.True(nothing.ExitCode == 0, nothing.ToString());
        Assert.Contains("Nothing to submit: 0 of 4: 4 done, 0 queued or running", nothing.Output);
    }

    [SkippableFact]
    public void A_task_cancelled_while_pending_shows_lost_not_pending()
    {
        SlurmCluster.Require();
        // One task at a time: the others wait in the queue.
        var (sweep, job) = Submit("--max-parallel", "1");
        WaitFor(sweep, job, index => sweep.ReadRecord(index)?.State == TaskState.Running);
        var pending = WaitForState(sweep, 3, "pending");
        Assert.Equal("PENDING", (string)pending["scheduler"]!["state"]!);

        SlurmCluster.Run("scancel", $"{job}_3");
        var lost = WaitForState(sweep, 3, "lost");

        // A task cancelled before it started leaves no trace in Slurm (no job record, no completion line): its array tells.
        Assert.Equal(("UNKNOWN", $"array {job} no longer holds it: cancelled before it started"), ((string)lost["scheduler"]!["state"]!, (string)lost["scheduler"]!["reason"]!));
        Assert.Null(sweep.ReadRecord(3));
        Assert.Contains($"slurm: UNKNOWN (array {job} no longer holds it: cancelled before it started)\n", Nfm("sweep", "status", sweep.Path).Output);
    }

    [SkippableFact]
    public void A_task_requeued_past_the_limit_stops_as_failed_with_the_reason()
    {
        SlurmCluster.Require();
        var (sweep, job) = Submit("--max-requeues", "0");
        var task = WaitFor(sweep, job, index => IsMidTraining(sweep, index)).First();

        SlurmCluster.Run("scontrol", "requeue", $"{job}_{task}");
        var clock = Stopwatch.StartNew();
        while (sweep.ReadRecord(task)?.State != TaskState.Failed && clock.Elapsed < Patience)
        {
            SlurmCluster.ReleaseRequeued(job);
            Thread.Sleep(200);
        }

        var record = sweep.ReadRecord(task)!;
        Assert.True(record.State == TaskState.Failed, $"{record}\n{File.ReadAllText(sweep.LogPath(task))}");
        Assert.Contains($"requeue 1 of Slurm job {job}_{task}, more than --max-requeues 0 allows", record.Error);
        Assert.Equal([$"{job}_{task}", $"{job}_{task}"], record.Jobs);
        Assert.Contains("--max-requeues 0", File.ReadAllText(sweep.SlurmScriptPath));
    }

    private NfmProcess.Result Nfm(params string[] arguments) => NfmProcess.Run(folder.Path, arguments);

    /// <summary>A 2 schemes x 2 seeds sweep of toy-mlp on moons, submitted as a job array with <paramref name="options"/>.</summary>
    private (SweepFolder Sweep, string Job) Submit(params string[] options)
    {
        var created = Nfm("sweep", "new", "sw", "--grid", "scheme=erm,nfm", "--grid", "seed=1..2", "--model", "toy-mlp", "--width", "16", "--dataset", "moons",
            "--epochs", Epochs.ToString(CultureInfo.InvariantCulture), "--batch-size", "16", "--checkpoint-every", "40", "--device", "cpu", "--perturb", "white:0.1");
        Assert.True(created.ExitCode == 0, created.ToString());
        var sweep = SweepFolder.Open(folder.File("sw"));
        var submitted = Nfm(["sweep", "slurm", sweep.Path, "--submit", "--cpus-per-task", "1", .. options]);
        Assert.True(submitted.ExitCode == 0, submitted.ToString());
        var job = Regex.Match(submitted.Output, @"Submitted job array (\d+): tasks 0-3 ").Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(job), submitted.ToString());
        jobs.Add(job);
        return (sweep, job);
    }

    private static IReadOnlyList<int> WaitFor(SweepFolder sweep, string job, Func<int, bool> ready)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Patience)
        {
            var found = Enumerable.Range(0, sweep.Definition.TaskCount).Where(ready).ToList();
            if (found.Count > 0)
                return found;
            Thread.Sleep(50);
        }
        Assert.Fail($"no task of job {job} got there within {Patience.TotalSeconds} s\n{SlurmCluster.Describe(job)}");
        return [];
    }

    private static bool IsMidTraining(SweepFolder sweep, int index) => SweepTaskFiles.IsMidTraining(sweep, index, Epochs / 4);

    /// <summary>Polls <c>nfm sweep status --format json</c> until task <paramref name="index"/> is in <paramref name="state"/>; returns its entry.</summary>
    private JsonNode WaitForState(SweepFolder sweep, int index, string state)
    {
        var clock = Stopwatch.StartNew();
        string last = "";
        while (clock.Elapsed < Patience)
        {
            var status = Nfm("sweep", "status", sweep.Path, "--format", "json");
            Assert.True(status.ExitCode == 0, status.ToString());
            last = status.Output;
            var entry = JsonNode.Parse(status.Output)!["tasks"]![index]!;
            if ((string)entry["state"]! == state)
                return entry;
            Thread.Sleep(300);
        }
        Assert.Fail($"task {index} did not show '{state}' within {Patience.TotalSeconds} s; last status:\n{last}");
        return null!;
    }

    private static void WaitUntilEveryTaskIsDone(SweepFolder sweep, string job)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Patience)
        {
            if (Enumerable.Range(0, sweep.Definition.TaskCount).All(index => sweep.IsDone(index)))
                return;
            SlurmCluster.ReleaseRequeued(job);
            Thread.Sleep(200);
        }
        Assert.Fail($"the tasks did not all finish within {Patience.TotalSeconds} s\n{SlurmCluster.Describe(job)}");
    }
}
