using System.Diagnostics;
using System.Text.RegularExpressions;
using NfmGen.Cli.Sweeps;
using NfmGen.Reports;
using NfmGen.Tests.Cli;

namespace NfmGen.Tests.Sweeps;

/// <summary><c>nfm sweep slurm</c> without a cluster: the job-array script it writes, and how it calls sbatch.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")] // Slurm, bash and the scripts are Linux's
public sealed class SlurmScriptTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    private NfmProcess.Result Nfm(params string[] arguments) => NfmProcess.Run(folder.Path, arguments);

    /// <summary>A sweep of <paramref name="seeds"/> x 2 tasks in <paramref name="name"/>, which may hold spaces and quotes.</summary>
    private SweepFolder NewSweep(string name, int seeds = 2)
    {
        var result = Nfm("sweep", "new", name, "--grid", "scheme=erm,nfm", "--grid", $"seed=1..{seeds}", "--model", "toy-mlp", "--dataset", "moons", "--epochs", "1");
        Assert.True(result.ExitCode == 0, result.ToString());
        return SweepFolder.Open(folder.File(name));
    }

    private static string[] Directives(string script) =>
        script.Split('\n').Where(line => line.StartsWith("#SBATCH ", StringComparison.Ordinal)).Select(line => line["#SBATCH ".Length..]).ToArray();

    [Fact]
    public void The_script_is_one_array_task_per_sweep_task_requeued_warned_and_logging_to_the_tasks_log()
    {
        var sweep = NewSweep("grid");

        var result = Nfm("sweep", "slurm", "grid");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"Wrote {sweep.SlurmScriptPath}: a job array of tasks 0-3 (4 of 4: 0 done, 0 queued or running).", result.Output);
        var script = File.ReadAllText(sweep.SlurmScriptPath);
        Assert.StartsWith("#!/bin/bash\n", script);
        Assert.Equal(
            ["--job-name=\"grid\"", "--array=0-3", "--requeue", "--signal=B:USR1@120", "--open-mode=append", $"--output=\"{sweep.LogsPath}/%3a.log\""],
            Directives(script));
        // The nfm that wrote it: the .NET host and the tool's assembly, by their paths here.
        var exec = Regex.Match(script, "\nexec '([^']+)' '([^']+)' sweep run '([^']+)' --max-requeues 3\n$");
        Assert.True(exec.Success, script);
        Assert.Equal("dotnet", Path.GetFileName(exec.Groups[1].Value));
        Assert.True(File.Exists(exec.Groups[1].Value), exec.Groups[1].Value);
        Assert.EndsWith("/nfm.dll", exec.Groups[2].Value);
        Assert.True(File.Exists(exec.Groups[2].Value), exec.Groups[2].Value);
        Assert.Equal(sweep.Path, exec.Groups[3].Value);
        Assert.True(Directory.Exists(sweep.LogsPath));
    }

    [Fact]
    public void Every_option_is_one_directive_and_cpus_per_task_also_sets_the_threads()
    {
        var sweep = NewSweep("grid");

        var result = Nfm("sweep", "slurm", "grid", "--partition", "gpu", "--time", "1-00:00:00", "--gpus", "1", "--cpus-per-task", "4",
            "--max-parallel", "2", "--signal-before", "300", "--sbatch", "--mem=16G --account=lab", "--sbatch", "--qos=long", "--nfm", "/opt/nfm/nfm");

        Assert.True(result.ExitCode == 0, result.ToString());
        var script = File.ReadAllText(sweep.SlurmScriptPath);
        Assert.Equal(
            ["--job-name=\"grid\"", "--array=0-3%2", "--requeue", "--signal=B:USR1@300", "--open-mode=append", $"--output=\"{sweep.LogsPath}/%3a.log\"",
             "--partition=\"gpu\"", "--time=\"1-00:00:00\"", "--gpus=1", "--cpus-per-task=4", "--mem=16G --account=lab", "--qos=long"],
            Directives(script));
        Assert.EndsWith($"\nexec /opt/nfm/nfm sweep run '{sweep.Path}' --threads 4 --max-requeues 3\n", script);
    }

    [Fact]
    public void Only_the_unfinished_tasks_are_submitted_unless_all_and_the_signal_and_requeue_limit_are_the_users()
    {
        var sweep = NewSweep("grid");
        var done = Nfm("sweep", "run", "grid", "--task", "1");
        Assert.True(done.ExitCode == 0, done.ToString());

        var rest = Nfm("sweep", "slurm", "grid", "--signal", "USR2", "--max-requeues", "5");
        Assert.True(rest.ExitCode == 0, rest.ToString());
        Assert.Contains("a job array of tasks 0,2-3 (3 of 4: 1 done, 0 queued or running)", rest.Output);
        var script = File.ReadAllText(sweep.SlurmScriptPath);
        Assert.Contains("#SBATCH --array=0,2-3\n", script);
        Assert.Contains("#SBATCH --signal=B:USR2@120\n", script);
        Assert.EndsWith(" --max-requeues 5\n", script);

        var all = Nfm("sweep", "slurm", "grid", "--all");
        Assert.Contains("a job array of tasks 0-3 (every task, as --all asks)", all.Output);
        Assert.Contains("#SBATCH --array=0-3\n", File.ReadAllText(sweep.SlurmScriptPath));
        var badSignal = Nfm("sweep", "slurm", "grid", "--signal", "KILL");
        Assert.Contains("--signal must be one of USR1, USR2 (was 'KILL')", badSignal.Error);
    }

    [Fact]
    public void The_log_pattern_pads_the_array_index_as_the_sweep_names_its_logs()
    {
        var sweep = NewSweep("wide", seeds: 600);
        Assert.Equal(4, sweep.IndexWidth);

        Assert.Equal(0, Nfm("sweep", "slurm", "wide").ExitCode);

        var output = Directives(File.ReadAllText(sweep.SlurmScriptPath)).Single(directive => directive.StartsWith("--output=", StringComparison.Ordinal));
        Assert.Equal($"--output=\"{sweep.LogPathFor("%4a")}\"", output);
        Assert.Equal(sweep.LogPathFor("0007"), sweep.LogPath(7));
        Assert.Contains("--array=0-1199", File.ReadAllText(sweep.SlurmScriptPath));
    }

    [Fact]
    public void A_percent_sign_in_the_folder_is_doubled_so_that_only_the_index_is_a_pattern()
    {
        var sweep = NewSweep("lr%a 50%");

        Assert.Equal(0, Nfm("sweep", "slurm", "lr%a 50%").ExitCode);

        var output = Directives(File.ReadAllText(sweep.SlurmScriptPath)).Single(directive => directive.StartsWith("--output=", StringComparison.Ordinal));
        Assert.Equal($"--output=\"{sweep.LogsPath.Replace("%", "%%")}/%3a.log\"", output);
    }

    [Fact]
    public void Paths_with_spaces_and_quotes_reach_nfm_as_one_argument_each()
    {
        var sweep = NewSweep("it's a \"sweep\" #1");

        // A stand-in for nfm that prints its arguments, one a line: the shell's reading of the exec line.
        var result = Nfm("sweep", "slurm", sweep.Path, "--nfm", "printf '%s\\n'", "--cpus-per-task", "2");
        Assert.True(result.ExitCode == 0, result.ToString());
        var script = File.ReadAllText(sweep.SlurmScriptPath);
        var bash = Process.Start(new ProcessStartInfo("bash", [sweep.SlurmScriptPath]) { RedirectStandardOutput = true })!;
        var printed = bash.StandardOutput.ReadToEnd();
        bash.WaitForExit();

        Assert.Equal(["sweep", "run", sweep.Path, "--threads", "2", "--max-requeues", "3"], printed.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        // sbatch reads #SBATCH lines itself: double quotes, with \" for a quote; inside them '#' starts no comment.
        Assert.Contains("#SBATCH --job-name=\"it's a \\\"sweep\\\" #1\"\n", script);
        Assert.Contains($"#SBATCH --output=\"{sweep.LogsPath.Replace("\"", "\\\"", StringComparison.Ordinal)}/%3a.log\"\n", script);
    }

    [Theory]
    [InlineData("--partition", "a\nb", "--partition must be one line of text, not empty")]
    [InlineData("--sbatch", "", "--sbatch must be one line of text, not empty")]
    [InlineData("--max-parallel", "-1", "--max-parallel must be >= 0 (was -1)")]
    [InlineData("--signal-before", "0", "--signal-before must be >= 1 (was 0)")]
    public void Bad_settings_are_refused_with_the_option_named(string option, string value, string expected)
    {
        var sweep = NewSweep("grid");

        var result = Nfm("sweep", "slurm", "grid", option, value);

        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains(expected, result.Error);
        Assert.False(File.Exists(sweep.SlurmScriptPath));
    }

    [Fact]
    public void A_folder_whose_path_holds_a_backslash_is_refused_slurm_would_not_expand_its_log_pattern()
    {
        NewSweep("back\\slash");

        var result = Nfm("sweep", "slurm", "back\\slash");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("the sweep folder's path cannot hold a backslash or a line break under Slurm", result.Error);
    }

    [Fact]
    public void Submit_calls_sbatch_parsable_on_the_script_and_prints_the_job_id()
    {
        var sweep = NewSweep("grid");
        var bin = FakeSbatch("echo \"$@\" > \"${0%/*}/arguments\"; echo '4242;cluster-a'");

        var result = NfmProcess.Run(folder.Path, WithPath(bin), "sweep", "slurm", "grid", "--submit");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal($"--parsable {sweep.SlurmScriptPath}\n", File.ReadAllText(Path.Combine(bin, "arguments")));
        Assert.Contains("Submitted job array 4242: tasks 0-3 as 4242_N", result.Output);
        Assert.Contains("\"job\":\"4242\",\"tasks\":\"0-3\"", File.ReadAllText(Path.Combine(sweep.Path, "slurm", "jobs.jsonl")));

        // Submitted, the sweep's status asks Slurm; where it cannot, it says so and shows the folder's view.
        var status = NfmProcess.Run(folder.Path, WithPath(bin), "sweep", "status", "grid");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("Could not ask Slurm (could not run squeue", status.Output);
        Assert.Contains("Totals: 4 pending", status.Output);
    }

    [Fact]
    public void Status_reads_a_pending_array_record_squeue_did_not_split_and_nothing_it_holds_is_submitted_again()
    {
        NewSweep("grid");
        var bin = FakeSbatch("echo 4242");
        Assert.Equal(0, NfmProcess.Run(folder.Path, WithPath(bin), "sweep", "slurm", "grid", "--submit").ExitCode);
        // squeue as a throttled array shows it: the running task alone, the pending ones as one record.
        var squeue = Path.Combine(bin, "squeue");
        File.WriteAllText(squeue, "#!/bin/sh\necho '4242_[1-3%1]|PENDING|JobArrayTaskLimit'\necho '4242_0|RUNNING|None'\n");
        File.SetUnixFileMode(squeue, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var status = NfmProcess.Run(folder.Path, WithPath(bin), "sweep", "status", "grid", "--format", "json");
        var again = NfmProcess.Run(folder.Path, WithPath(bin), "sweep", "slurm", "grid", "--submit");

        Assert.True(status.ExitCode == 0, status.ToString());
        var tasks = System.Text.Json.Nodes.JsonNode.Parse(status.Output)!["tasks"]!.AsArray();
        Assert.Equal(["running", "pending", "pending", "pending"], tasks.Select(task => (string)task!["state"]!));
        Assert.All(tasks.Skip(1), task => Assert.Equal("JobArrayTaskLimit", (string)task!["scheduler"]!["reason"]!));
        Assert.Contains("Nothing to submit: 0 of 4: 0 done, 4 queued or running", again.Output);
    }

    [Fact]
    public void A_task_recorded_done_while_its_job_still_exits_is_done_not_running()
    {
        var sweep = NewSweep("grid");
        var bin = FakeSbatch("echo 4242");
        Assert.Equal(0, NfmProcess.Run(folder.Path, WithPath(bin), "sweep", "slurm", "grid", "--submit").ExitCode);
        // Tasks 0 and 1 have written their reports and records while their jobs end; task 2 failed and was requeued.
        foreach (var index in new[] { 0, 1 })
        {
            RecordUnderSlurm(sweep, index, TaskState.Done);
            ReportJson.Save(new RobustnessReport("ToyMlp on moons-test", [new ReportRow("erm", 0.9, [])]), sweep.RunFolder(index).ReportPath);
        }
        RecordUnderSlurm(sweep, 2, TaskState.Failed);
        var squeue = Path.Combine(bin, "squeue");
        File.WriteAllText(squeue, "#!/bin/sh\necho '4242_0|COMPLETING|None'\necho '4242_1|RUNNING|None'\necho '4242_2|PENDING|BeginTime'\necho '4242_3|RUNNING|None'\n");
        File.SetUnixFileMode(squeue, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var status = NfmProcess.Run(folder.Path, WithPath(bin), "sweep", "status", "grid", "--format", "json");

        Assert.True(status.ExitCode == 0, status.ToString());
        var tasks = System.Text.Json.Nodes.JsonNode.Parse(status.Output)!["tasks"]!.AsArray();
        Assert.Equal(["done", "done", "pending", "running"], tasks.Select(task => (string)task!["state"]!));
        Assert.Null(tasks[0]!["scheduler"]); // an exiting job is not the task's state
    }

    private static void RecordUnderSlurm(SweepFolder sweep, int index, TaskState state)
    {
        Directory.CreateDirectory(sweep.TaskPath(index));
        (TaskRecord.NotStarted(sweep.Definition.Task(index), sweep.Definition.Evaluate) with
        {
            State = state,
            Attempts = 1,
            ExitCode = state is TaskState.Done ? 0 : 1,
            Job = $"4242_{index}",
            Jobs = [$"4242_{index}"],
        }).Write(sweep.TaskRecordPath(index));
    }

    [Fact]
    public void A_failing_sbatch_is_reported_with_its_own_words()
    {
        var sweep = NewSweep("grid");
        var bin = FakeSbatch("echo 'sbatch: error: invalid partition specified: nope' >&2; exit 1");

        var result = NfmProcess.Run(folder.Path, WithPath(bin), "sweep", "slurm", "grid", "--submit");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"error: sbatch {sweep.SlurmScriptPath} failed with exit code 1: sbatch: error: invalid partition specified: nope", result.Error);
    }

    [Fact]
    public void A_missing_sbatch_is_named_and_the_script_is_still_written()
    {
        var sweep = NewSweep("grid");
        var empty = Directory.CreateDirectory(folder.File("empty-bin")).FullName;

        var result = NfmProcess.Run(folder.Path, WithPath(empty), "sweep", "slurm", "grid", "--submit");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error: could not run sbatch", result.Error);
        Assert.Contains($"or there run: sbatch '{sweep.SlurmScriptPath}'", result.Error);
        Assert.True(File.Exists(sweep.SlurmScriptPath));
    }

    private string FakeSbatch(string body)
    {
        var bin = Directory.CreateDirectory(folder.File("fake-bin")).FullName;
        var sbatch = Path.Combine(bin, "sbatch");
        File.WriteAllText(sbatch, $"#!/bin/sh\n{body}\n");
        File.SetUnixFileMode(sbatch, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return bin;
    }

    // The tool's own PATH is only the given folder (the test starts dotnet by this process's PATH): no real sbatch is found.
    private static Dictionary<string, string?> WithPath(string bin) => new() { ["PATH"] = bin };
}
