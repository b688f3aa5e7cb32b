using NfmGen.Cli.Sweeps;
using NfmGen.Reports;
using NfmGen.Tests.Cli;

namespace NfmGen.Tests.Sweeps;

/// <summary><c>nfm sweep new</c>, <c>list</c> and <c>run</c> as a user runs them.</summary>
public sealed class SweepCommandTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    private NfmProcess.Result Nfm(params string[] arguments) => NfmProcess.Run(folder.Path, arguments);

    private void NewToySweep(params string[] more) => Assert.Equal(0, Nfm([
        "sweep", "new", "sw", "--grid", "scheme=erm,nfm", "--grid", "seed=1..2", "--model", "toy-mlp", "--width", "8", "--dataset", "moons",
        "--epochs", "2", "--device", "cpu", "--perturb", "white:0.1,0.2", .. more]).ExitCode);

    [Fact]
    public void New_writes_the_grid_and_list_shows_each_task_with_its_values_and_folder()
    {
        NewToySweep();

        var definition = SweepDefinition.Read(folder.File("sw/sweep.json"));
        Assert.Equal([new GridAxis("scheme", ["erm", "nfm"]), new GridAxis("seed", ["1", "2"])], definition.Grid);
        Assert.Contains(new SweepOption("width", "8"), definition.Train);
        Assert.Equal([new SweepOption("perturb", "white:0.1,0.2")], definition.Evaluate);
        Assert.True(File.Exists(folder.File("sw/sweep.schema.json")));

        var list = Nfm("sweep", "list", "sw");
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Equal(
            ["000  scheme=erm seed=1  sw/tasks/000/run", "001  scheme=erm seed=2  sw/tasks/001/run", "002  scheme=nfm seed=1  sw/tasks/002/run", "003  scheme=nfm seed=2  sw/tasks/003/run"],
            list.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void New_from_a_file_replaces_its_axis_and_overrides_its_options()
    {
        NewToySweep();
        var derived = Nfm("sweep", "new", "derived", "--from", "sw/sweep.json", "--grid", "seed=5..7", "--epochs", "4");
        Assert.True(derived.ExitCode == 0, derived.ToString());

        var definition = SweepDefinition.Read(folder.File("derived/sweep.json"));
        Assert.Equal([new GridAxis("scheme", ["erm", "nfm"]), new GridAxis("seed", ["5", "6", "7"])], definition.Grid);
        Assert.Contains(new SweepOption("epochs", "4"), definition.Train);
        Assert.Equal(6, definition.TaskCount);
    }

    [Theory]
    [InlineData("'colour' is not an option of 'nfm train'", "--grid", "colour=red", "--model", "toy-mlp", "--dataset", "moons")]
    [InlineData("task 1 (scheme=nfmm): not valid 'nfm train' options: --scheme must be one of", "--grid", "scheme=erm,nfmm", "--model", "toy-mlp", "--dataset", "moons")]
    [InlineData("--run is set by the sweep for each task", "--grid", "seed=1..2", "--run", "x")]
    [InlineData("--epochs must be >= 1 (was 0)", "--grid", "seed=1..2", "--epochs", "0")]
    [InlineData("task 0 (seed=1) has no model", "--grid", "seed=1..2")]
    [InlineData("grid axis 'seed' is not of the form", "--grid", "seed")]
    public void New_refuses_what_nfm_train_would_refuse(string expected, params string[] arguments)
    {
        var result = Nfm(["sweep", "new", "bad", .. arguments]);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains(expected, result.Error);
        Assert.False(File.Exists(folder.File("bad/sweep.json")));
    }

    [Fact]
    public void Run_trains_and_evaluates_a_task_records_it_done_and_a_second_run_returns_at_once()
    {
        NewToySweep();

        var first = Nfm("sweep", "run", "sw", "--task", "2");
        Assert.True(first.ExitCode == 0, first.ToString());
        var sweep = SweepFolder.Open(folder.File("sw"));
        var record = sweep.ReadRecord(2)!;
        Assert.Equal((TaskState.Done, 1, 0), (record.State, record.Attempts, record.ExitCode));
        var row = ReportJson.Load(sweep.RunFolder(2).ReportPath).Rows.Single();
        Assert.Equal(2, row.Results.Count);
        Assert.Null(sweep.ReadRecord(0));

        var second = Nfm("sweep", "run", "sw", "--task", "2");
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("Task 2 (scheme=nfm seed=1) is done", second.Output);
        Assert.Equal(1, sweep.ReadRecord(2)!.Attempts);
    }

    [Fact]
    public void Points_are_evaluated_with_the_toy_experiments_noise_levels_when_no_perturbation_is_given()
    {
        Assert.Equal(0, Nfm("sweep", "new", "sw", "--model", "toy-mlp", "--width", "8", "--dataset", "moons", "--epochs", "1", "--device", "cpu").ExitCode);

        var run = Nfm("sweep", "run", "sw", "--task", "0");

        Assert.True(run.ExitCode == 0, run.ToString());
        var row = ReportJson.Load(SweepFolder.Open(folder.File("sw")).RunFolder(0).ReportPath).Rows.Single();
        Assert.Equal([0.1, 0.2, 0.3, 0.4], row.Results.Select(result => result.Level));
    }

    [Fact]
    public void A_sweep_can_score_each_tasks_moving_average()
    {
        Assert.Equal(0, Nfm("sweep", "new", "sw", "--model", "toy-mlp", "--width", "8", "--dataset", "moons", "--epochs", "1", "--device", "cpu",
            "--model-ema", "--model-ema-decay", "0.5", "--select", "ema", "--perturb", "white:0.1").ExitCode);
        Assert.Contains(new SweepOption("select", "ema"), SweepFolder.Open(folder.File("sw")).Definition.Evaluate);

        var run = Nfm("sweep", "run", "sw", "--task", "0");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("nfm (ema)", ReportJson.Load(SweepFolder.Open(folder.File("sw")).RunFolder(0).ReportPath).Rows.Single().Name);
    }

    [Fact]
    public void A_hand_written_sweep_with_an_unknown_option_is_refused_before_the_task_is_recorded()
    {
        NewToySweep();
        File.WriteAllText(folder.File("sw/sweep.json"), File.ReadAllText(folder.File("sw/sweep.json")).Replace("\"option\": \"seed\"", "\"option\": \"sed\""));

        foreach (var command in new[] { new[] { "run", "sw", "--task", "0" }, ["slurm", "sw"], ["local", "sw"] })
        {
            var result = Nfm(["sweep", .. command]);
            Assert.True(result.ExitCode == 1, result.ToString());
            Assert.Contains("'sed' is not an option of 'nfm train'", result.Error);
        }
        Assert.False(Directory.Exists(folder.File("sw/tasks")));
        Assert.False(File.Exists(folder.File("sw/slurm/sweep.sbatch")));
    }

    [Fact]
    public void A_failed_task_records_its_error_and_exit_code()
    {
        Assert.Equal(0, Nfm("sweep", "new", "sw", "--model", "small-convnet", "--dataset", "fashion-mnist", "--data", folder.File("no-such-folder")).ExitCode);

        var result = Nfm("sweep", "run", "sw", "--task", "0");

        Assert.Equal(1, result.ExitCode);
        var record = SweepFolder.Open(folder.File("sw")).ReadRecord(0)!;
        Assert.Equal((TaskState.Failed, 1), (record.State, record.ExitCode));
        Assert.False(string.IsNullOrWhiteSpace(record.Error));
        Assert.DoesNotContain("error: ", record.Error);
        Assert.Contains(record.Error!, result.Error);
    }

    [Fact]
    public void The_task_index_comes_from_the_schedulers_variables_and_must_be_given_somehow()
    {
        NewToySweep();

        var none = Nfm("sweep", "run", "sw");
        Assert.Equal(1, none.ExitCode);
        Assert.Contains("which task? Give --task, or run under a scheduler that sets SLURM_ARRAY_TASK_ID", none.Error);

        var outside = Nfm("sweep", "run", "sw", "--task", "4");
        Assert.Equal(1, outside.ExitCode);
        Assert.Contains("task index must be in 0..3 (this sweep has 4 tasks; was 4)", outside.Error);
    }

    [Fact]
    public void Editing_the_grid_after_a_task_ran_is_refused_by_every_command()
    {
        NewToySweep();
        Assert.Equal(0, Nfm("sweep", "run", "sw", "--task", "1").ExitCode);
        File.WriteAllText(folder.File("sw/sweep.json"), File.ReadAllText(folder.File("sw/sweep.json")).Replace("\"erm\"", "\"mixup\""));

        foreach (var command in new[] { new[] { "list" }, ["run", "--task", "0"] })
        {
            var result = Nfm(["sweep", .. command, "sw"]);
            Assert.Equal(1, result.ExitCode);
            Assert.Contains("was changed after task 1 ran", result.Error);
        }
    }
}
