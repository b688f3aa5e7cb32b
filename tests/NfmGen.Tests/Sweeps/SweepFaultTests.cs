using NfmGen.Cli.Sweeps;
using NfmGen.Tests.Cli;
using NfmGen.Training;
using static NfmGen.Tests.Sweeps.SweepTaskFiles;

namespace NfmGen.Tests.Sweeps;

/// <summary>
/// The faults a cluster brings, with real processes: a task killed without a word (kill -9, a lost node), the same task
/// given to two processes at once, and Ctrl+C to <c>nfm sweep local</c>. Each ends with the weights an uninterrupted
/// run of the same <c>sweep.json</c> gives, bit for bit.
/// </summary>
public sealed class SweepFaultTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    // toy-mlp on two-moons, 63 steps an epoch, a checkpoint every 10 steps: a few seconds of training per task.
    private SweepFolder NewToySweep(string name, int epochs)
    {
        var result = NfmProcess.Run(folder.Path, "sweep", "new", name, "--grid", "scheme=erm,nfm", "--model", "toy-mlp", "--width", "32", "--dataset", "moons",
            "--batch-size", "16", "--epochs", epochs.ToString(System.Globalization.CultureInfo.InvariantCulture), "--checkpoint-every", "10", "--device", "cpu",
            "--perturb", "white:0.1");
        Assert.True(result.ExitCode == 0, result.ToString());
        return SweepFolder.Open(folder.File(name));
    }

    // The same sweep.json in another folder: the same tasks, run from scratch.
    private SweepFolder CopyOf(SweepFolder sweep, string name)
    {
        Directory.CreateDirectory(folder.File(name));
        File.Copy(sweep.DefinitionPath, Path.Combine(folder.File(name), SweepFolder.DefinitionFileName));
        return SweepFolder.Open(folder.File(name));
    }

    private System.Diagnostics.Process Start(params string[] arguments) => NfmProcess.Start(folder.Path, arguments);

    [Fact]
    public void A_task_killed_mid_training_resumes_its_last_checkpoint_and_ends_bit_identical_to_an_uninterrupted_run()
    {
        var sweep = NewToySweep("sw", epochs: 40);
        var reference = CopyOf(sweep, "ref");
        using var uninterrupted = Start("sweep", "run", reference.Path, "--task", "1", "--threads", "1");
        using (var victim = Start("sweep", "run", sweep.Path, "--task", "1", "--threads", "1"))
        {
            WaitUntil(() => sweep.RunFolder(1).ReadMetrics().Count >= 1 && HasCheckpoint(sweep, 1), "a checkpoint after the first epoch", victim);
            victim.Kill(); // SIGKILL: no handler runs, as when a node is lost
            victim.WaitForExit();
        }

        var record = sweep.ReadRecord(1)!;
        Assert.Equal((TaskState.Running, 1), (record.State, record.Attempts)); // as the killed process left it
        Assert.True(record.ProcessIsGone());
        var epochsAtKill = sweep.RunFolder(1).ReadMetrics().Count;
        Assert.True(epochsAtKill < 40, "the task had finished training before it was killed; the test proves nothing");
        // Intact (its checksum holds); a kill between the two renames of a rotation leaves only the previous one.
        var run = sweep.RunFolder(1);
        var checkpoint = Checkpoint.ReadHeader(File.Exists(run.CheckpointPath) ? run.CheckpointPath : run.PreviousCheckpointPath);
        // An epoch's metrics are written just before its checkpoint: a kill between the two leaves the checkpoint one
        // epoch behind, and the resume trains that epoch again.
        Assert.InRange(checkpoint.Progress.Epoch, epochsAtKill - 1, epochsAtKill);

        var restarted = NfmProcess.Run(folder.Path, "sweep", "run", sweep.Path, "--task", "1", "--threads", "1");
        Assert.True(restarted.ExitCode == 0, restarted.ToString());
        Assert.Contains($"Resuming from the checkpoint in {sweep.RunFolder(1).Path} ({epochsAtKill} of 40 epochs finished)", restarted.Output);
        Assert.Equal((TaskState.Done, 2), (sweep.ReadRecord(1)!.State, sweep.ReadRecord(1)!.Attempts));

        var whole = Finish(uninterrupted);
        Assert.True(whole.ExitCode == 0, whole.ToString());
        AssertSameFinalWeights(reference, sweep, 1);
        Assert.Equal(reference.RunFolder(1).ReadMetrics().Select(epoch => epoch.TestAccuracy), sweep.RunFolder(1).ReadMetrics().Select(epoch => epoch.TestAccuracy));
        Assert.Equal(File.ReadAllText(reference.RunFolder(1).ReportPath), File.ReadAllText(sweep.RunFolder(1).ReportPath));
    }

    [Fact]
    public async Task Of_two_processes_given_the_same_task_at_once_one_runs_it_and_the_other_leaves_at_once_with_a_message()
    {
        var sweep = NewToySweep("sw", epochs: 60);
        using var first = Start("sweep", "run", sweep.Path, "--task", "0", "--threads", "1");
        using var second = Start("sweep", "run", sweep.Path, "--task", "0", "--threads", "1");

        // Whichever takes the task's lock first trains it; the other must not wait for it, nor touch its files.
        var firstEnd = Task.Run(() => Finish(first));
        var secondEnd = Task.Run(() => Finish(second));
        var loserEnd = await Task.WhenAny(firstEnd, secondEnd);
        var (winnerEnd, winnerProcess) = loserEnd == firstEnd ? (secondEnd, second) : (firstEnd, first);
        var loser = await loserEnd;
        Assert.True(loser.ExitCode == 1, loser.ToString());
        // It names the holder's process when the holder has written its record yet: the lock comes first.
        Assert.Contains("task 0 of " + sweep.Path + " is being run by another process", loser.Error);
        Assert.False(winnerProcess.HasExited, "the winner had already ended: the two did not run at once");

        var winner = await winnerEnd;
        Assert.True(winner.ExitCode == 0, winner.ToString());
        var record = sweep.ReadRecord(0)!;
        Assert.Equal((TaskState.Done, 1, winnerProcess.Id), (record.State, record.Attempts, record.ProcessId));
        Assert.True(File.Exists(sweep.RunFolder(0).ReportPath));
        Assert.Equal(60, sweep.RunFolder(0).ReadMetrics().Count);
    }

    [Fact]
    public void Ctrl_c_stops_sweep_local_with_checkpoints_and_a_second_sweep_local_finishes_bit_identical_to_uninterrupted_runs()
    {
        var sweep = NewToySweep("sw", epochs: 40);
        var reference = CopyOf(sweep, "ref");

        using (var local = Start("sweep", "local", sweep.Path, "--parallel", "2", "--threads", "1"))
        {
            WaitUntil(() => HasCheckpoint(sweep, 0) && HasCheckpoint(sweep, 1), "a checkpoint of both tasks", local);
            Interrupt(local);
            var stopped = Finish(local);
            Assert.True(stopped.ExitCode == 130, stopped.ToString());
            Assert.Contains("Run 'nfm sweep local " + sweep.Path + "' again to go on", stopped.Output);
        }
        var states = new[] { sweep.ReadRecord(0)!.State, sweep.ReadRecord(1)!.State };
        Assert.All(states, state => Assert.Contains(state, new[] { TaskState.Stopped, TaskState.Done }));
        Assert.Contains(TaskState.Stopped, states);
        Assert.Contains("Stopped. The run folder holds a checkpoint", File.ReadAllText(sweep.LogPath(Array.IndexOf(states, TaskState.Stopped))));

        var resumed = NfmProcess.Run(folder.Path, "sweep", "local", sweep.Path, "--parallel", "2", "--threads", "1");
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains("All 2 tasks done.", resumed.Output);
        var uninterrupted = NfmProcess.Run(folder.Path, "sweep", "local", reference.Path, "--parallel", "2", "--threads", "1");
        Assert.True(uninterrupted.ExitCode == 0, uninterrupted.ToString());

        for (var index = 0; index < 2; index++)
        {
            Assert.Equal(TaskState.Done, sweep.ReadRecord(index)!.State);
            AssertSameFinalWeights(reference, sweep, index);
        }
        Assert.Contains("Resuming from the checkpoint", File.ReadAllText(sweep.LogPath(Array.IndexOf(states, TaskState.Stopped))));
    }
}
