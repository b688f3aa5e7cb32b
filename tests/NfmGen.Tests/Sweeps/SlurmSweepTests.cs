using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NfmGen.Cli.Sweeps;
using NfmGen.Models;
using NfmGen.Reports;
using NfmGen.Tests.Cli;
using NfmGen.Tests.Training;
using NfmGen.Training;

namespace NfmGen.Tests.Sweeps;

/// <summary>
/// A sweep on a real Slurm cluster (see <see cref="SlurmCluster"/>), submitted with <c>nfm sweep slurm --submit</c>:
/// one task is interrupted in the middle of its training, by a requeue, by a preempting job, or by the USR1 that comes
/// before a time limit. Every task finishes; the interrupted one resumes from its checkpoint, its log goes on across
/// the restart, and its final weights are bit-identical to an uninterrupted run of the same task.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SlurmSweepTests : IDisposable
{
    private const int Epochs = SlurmCluster.TaskEpochs;
    private static readonly TimeSpan Patience = SlurmCluster.Patience;

    private readonly TempDirectory folder = new();
    private readonly List<string> jobs = [];
    private readonly List<Task> referenceRuns = [];

    public void Dispose()
    {
        // The tasks still running write into the folder until Slurm has ended them.
        foreach (var job in jobs)
            SlurmCluster.CancelAndWait(job);
        try
        {
            Task.WaitAll([.. referenceRuns], TimeSpan.FromMinutes(3)); // before their folder goes
        }
        catch (AggregateException)
        {
            // A failed reference run fails its test; here only its folder is in question.
        }
        folder.Dispose();
    }

    [SkippableFact]
    public void A_task_requeued_by_scontrol_resumes_from_its_checkpoint_and_ends_bit_identical()
    {
        SlurmCluster.Require();
        var (sweep, job) = Submit();

        var task = WaitForTasksMidTraining(sweep, job, count: 1).Single();
        SlurmCluster.Run("scontrol", "requeue", $"{job}_{task}");
        var reference = RunUninterrupted(sweep, task);
        WaitUntilEveryTaskIsDone(sweep, job);

        AssertOnlyTheseWereRestarted(sweep, [task]);
        AssertResumedExactly(sweep, task, reference);
        AssertEveryTaskEndedCleanlyWithAReport(sweep);
    }

    [SkippableFact]
    public void Tasks_preempted_by_a_higher_priority_job_checkpoint_requeue_themselves_and_end_bit_identical()
    {
        SlurmCluster.Require();
        var (sweep, job) = Submit();

        // The node's two CPUs run two tasks; a job of the 'high' partition that needs both preempts them.
        var running = WaitForTasksMidTraining(sweep, job, count: 2);
        var high = SlurmCluster.Run("sbatch", "--parsable", "--partition=high", "--cpus-per-task=2", "--job-name=preemptor",
            $"--output={folder.File("preemptor.log")}", "--wrap", "sleep 1").Trim();
        jobs.Add(high);
        var references = running.ToDictionary(task => task, task => RunUninterrupted(sweep, task));
        WaitUntilEveryTaskIsDone(sweep, job);

        Assert.True(SlurmCluster.Describe(high).Contains("JobState=COMPLETED", StringComparison.Ordinal), SlurmCluster.Describe(high));
        AssertOnlyTheseWereRestarted(sweep, running);
        foreach (var task in running)
        {
            // Slurm sent the batch shell its --signal at preemption (preempt_send_user_signal): nfm asked for the requeue.
            Assert.Contains($"Task {task}: stopped at a checkpoint; requeuing it as Slurm job {job}_{task},", Log(sweep, task));
            AssertResumedExactly(sweep, task, references[task]);
        }
        AssertEveryTaskEndedCleanlyWithAReport(sweep);
    }

    [SkippableFact]
    public void A_task_warned_with_USR1_as_before_a_time_limit_checkpoints_and_requeues_itself_by_its_array_id()
    {
        SlurmCluster.Require();
        var (sweep, job) = Submit();

        var task = WaitForTasksMidTraining(sweep, job, count: 1).Single();
        // What --signal=B:USR1@120 does before the time limit: USR1 to the batch shell, which exec made nfm. Slurm 22.05's
        // scancel delivers it, yet may answer "Job can not be altered now" and retry for half a minute: its answer is
        // not waited for; the task's restart below is the proof.
        var signalled = SlurmCluster.TryRun(TimeSpan.FromSeconds(3), "scancel", "--signal=USR1", "--batch", $"{job}_{task}");
        var reference = RunUninterrupted(sweep, task);
        WaitUntilEveryTaskIsDone(sweep, job);

        Assert.True(Log(sweep, task).Contains($"Task {task}: stopped at a checkpoint; requeuing it as Slurm job {job}_{task},", StringComparison.Ordinal),
            $"scancel: {signalled}\n{Log(sweep, task)}");
        AssertOnlyTheseWereRestarted(sweep, [task]);
        AssertResumedExactly(sweep, task, reference);
        AssertEveryTaskEndedCleanlyWithAReport(sweep);
    }

    /// <summary>A 2 schemes x 2 seeds sweep of toy-mlp on moons, in a folder whose name needs quoting, submitted as a job array.</summary>
    private (SweepFolder Sweep, string Job) Submit()
    {
        var created = NfmProcess.Run(folder.Path, "sweep", "new", "it's a sweep #1", "--grid", "scheme=erm,nfm", "--grid", "seed=1..2",
            "--model", "toy-mlp", "--width", "16", "--dataset", "moons", "--epochs", Epochs.ToString(CultureInfo.InvariantCulture), "--batch-size", "16",
            "--checkpoint-every", "40", "--device", "cpu", "--perturb", "white:0.1,0.2");
        Assert.True(created.ExitCode == 0, created.ToString());
        var sweep = SweepFolder.Open(folder.File("it's a sweep #1"));

        // One CPU and one torch thread per task: the reference runs below use one thread too, for the same sums.
        var submitted = NfmProcess.Run(folder.Path, "sweep", "slurm", sweep.Path, "--submit", "--cpus-per-task", "1");
        Assert.True(submitted.ExitCode == 0, submitted.ToString());
        var job = Regex.Match(submitted.Output, @"Submitted job array (\d+):").Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(job), submitted.ToString());
        jobs.Add(job);
        return (sweep, job);
    }

    /// <summary>Waits for <paramref name="count"/> tasks that run under Slurm and have a checkpoint with most of their training ahead.</summary>
    private static IReadOnlyList<int> WaitForTasksMidTraining(SweepFolder sweep, string job, int count)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Patience)
        {
            var ready = Enumerable.Range(0, sweep.Definition.TaskCount).Where(index => IsMidTraining(sweep, index)).ToList();
            if (ready.Count >= count)
                return ready.Take(count).ToList();
            Thread.Sleep(50);
        }
        Assert.Fail($"no {count} task(s) of job {job} were in the middle of their training within {Patience.TotalSeconds} s\n{Diagnostics(sweep, job)}");
        return [];
    }

    private static bool IsMidTraining(SweepFolder sweep, int index) => SweepTaskFiles.IsMidTraining(sweep, index, Epochs / 4);

    /// <summary>Waits until every task's record says done, letting requeued tasks start again at once.</summary>
    private static void WaitUntilEveryTaskIsDone(SweepFolder sweep, string job)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Patience)
        {
            var states = Enumerable.Range(0, sweep.Definition.TaskCount).Select(index => sweep.ReadRecord(index)?.State).ToList();
            if (states.Contains(TaskState.Failed))
                Assert.Fail($"a task of job {job} failed\n{Diagnostics(sweep, job)}");
            if (states.All(state => state == TaskState.Done))
                return;
            SlurmCluster.ReleaseRequeued(job);
            Thread.Sleep(200);
        }
        Assert.Fail($"the tasks of job {job} did not all finish within {Patience.TotalSeconds} s\n{Diagnostics(sweep, job)}");
    }

    private static void AssertOnlyTheseWereRestarted(SweepFolder sweep, IReadOnlyList<int> interrupted)
    {
        foreach (var index in Enumerable.Range(0, sweep.Definition.TaskCount))
        {
            var record = sweep.ReadRecord(index)!;
            if (interrupted.Contains(index))
                Assert.True(record is { Restarts: >= 1, Attempts: 2 }, $"task {index}: {record}\n{Log(sweep, index)}");
            else
                Assert.True(record is { Restarts: 0, Attempts: 1 }, $"task {index} was not interrupted: {record}\n{Log(sweep, index)}");
        }
    }

    /// <summary>
    /// The task's one log holds both attempts, the second resuming from a checkpoint in the middle of the training, and
    /// its final weights equal, bit for bit, those of the same task of the same sweep.json run without interruption.
    /// </summary>
    private static void AssertResumedExactly(SweepFolder sweep, int index, Task<(SweepFolder Folder, NfmProcess.Result Run)> reference)
    {
        var log = Log(sweep, index);
        var first = log.IndexOf($"Task {index} of 4 (", StringComparison.Ordinal);
        var resumed = Regex.Match(log, $@"Resuming from the checkpoint in {Regex.Escape(sweep.RunFolder(index).Path)} \((\d+) of {Epochs} epochs finished\)");
        Assert.True(first == 0 && resumed.Success && resumed.Index > first && log.IndexOf($"Task {index}: done.", resumed.Index, StringComparison.Ordinal) > 0, log);
        Assert.InRange(int.Parse(resumed.Groups[1].Value, CultureInfo.InvariantCulture), 0, Epochs - 1);

        var (referenceFolder, run) = reference.GetAwaiter().GetResult();
        Assert.True(run.ExitCode == 0, run.ToString());
        AssertSameFinalWeights(referenceFolder.RunFolder(index), sweep.RunFolder(index));
    }

    /// <summary>Runs task <paramref name="index"/> of the same sweep.json in another folder, here, uninterrupted (meanwhile the cluster works).</summary>
    private Task<(SweepFolder Folder, NfmProcess.Result Run)> RunUninterrupted(SweepFolder sweep, int index)
    {
        var reference = Directory.CreateDirectory(folder.File($"reference-{index}")).FullName;
        File.Copy(sweep.DefinitionPath, Path.Combine(reference, SweepFolder.DefinitionFileName));
        var run = Task.Run(() => (SweepFolder.Open(reference),
            NfmProcess.Run(folder.Path, "sweep", "run", reference, "--task", index.ToString(CultureInfo.InvariantCulture), "--threads", "1")));
        referenceRuns.Add(run);
        return run;
    }

    private static void AssertSameFinalWeights(RunFolder uninterrupted, RunFolder resumed)
    {
        var spec = JsonNode.Parse(File.ReadAllText(uninterrupted.ModelSpecPath))!;
        var shape = new ModelShape((int)spec["classes"]!, (int)spec["inChannels"]!, (int)spec["imageSize"]!, (int?)spec["width"]);
        var model = ModelZoo.Find((string)spec["model"]!);
        using var expected = model.Create(shape).Module;
        using var actual = model.Create(shape).Module;
        var (expectedHeader, expectedStates) = Checkpoint.Load(uninterrupted.CheckpointPath, expected, null, model.Network.Name, shape.Classes, null);
        var (actualHeader, actualStates) = Checkpoint.Load(resumed.CheckpointPath, actual, null, model.Network.Name, shape.Classes, null);
        foreach (var state in expectedStates.Concat(actualStates))
            state.Dispose();

        Assert.Equal(expectedHeader.Progress.GlobalStep, actualHeader.Progress.GlobalStep);
        Assert.Equal(Epochs, actualHeader.Progress.Epoch);
        TinyTraining.AssertSameWeights(expected, actual);
    }

    private static void AssertEveryTaskEndedCleanlyWithAReport(SweepFolder sweep)
    {
        // A signal that comes while a requeued task ends must not crash it.
        foreach (var index in Enumerable.Range(0, sweep.Definition.TaskCount))
            Assert.DoesNotContain("Unhandled exception", Log(sweep, index));

        var report = NfmProcess.Run(sweep.Path, "sweep", "report", sweep.Path, "--format", "json", "--out", "report.json");
        Assert.True(report.ExitCode == 0, report.ToString());
        var rows = JsonNode.Parse(File.ReadAllText(Path.Combine(sweep.Path, "report.json")))!["rows"]!.AsArray();
        Assert.Equal(["erm", "nfm"], rows.Select(row => (string)row!["name"]!));
        Assert.All(rows, row => Assert.Equal((2, true), ((int)row!["seeds"]!["n"]!, (bool)row["seeds"]!["complete"]!)));
    }

    private static string Log(SweepFolder sweep, int index) => File.Exists(sweep.LogPath(index)) ? File.ReadAllText(sweep.LogPath(index)) : $"(no {sweep.LogPath(index)})";

    private static string Diagnostics(SweepFolder sweep, string job)
    {
        var text = new StringBuilder().AppendLine("--- scontrol show job").AppendLine(SlurmCluster.Describe(job));
        foreach (var index in Enumerable.Range(0, sweep.Definition.TaskCount))
            text.AppendLine($"--- task {index}: {sweep.ReadRecord(index)?.ToString() ?? "no record"}").AppendLine(Log(sweep, index));
        return text.ToString();
    }
}
