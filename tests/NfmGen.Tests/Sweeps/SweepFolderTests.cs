using NfmGen.Cli.Sweeps;

namespace NfmGen.Tests.Sweeps;

/// <summary>The sweep folder: its names, its task locks, and the refusal of a grid edited after tasks ran.</summary>
public sealed class SweepFolderTests : IDisposable
{
    private static readonly SweepDefinition Definition = new(
        [new SweepOption("model", "toy-mlp")], [new GridAxis("scheme", ["erm", "nfm"]), new GridAxis("seed", ["1", "2"])], []);

    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Creating_writes_the_definition_and_its_schema_and_refuses_a_second_sweep()
    {
        var sweep = SweepFolder.Create(folder.Path, Definition, SweepSchema.Text);

        Assert.Equal(Definition, SweepFolder.Open(folder.Path).Definition);
        Assert.Contains("\"$schema\": \"https://json-schema.org/draft/2020-12/schema\"", File.ReadAllText(folder.File(SweepFolder.SchemaFileName)));
        Assert.True(Directory.Exists(sweep.LogsPath));
        Assert.Equal(Path.Combine(folder.Path, "tasks", "003", "run"), sweep.RunFolder(3).Path);
        Assert.Equal(Path.Combine(folder.Path, "logs", "003.log"), sweep.LogPath(3));
        var error = Assert.Throws<InvalidOperationException>(() => SweepFolder.Create(folder.Path, Definition, SweepSchema.Text));
        Assert.Contains("already holds a sweep", error.Message);
    }

    [Fact]
    public void Opening_a_folder_without_a_sweep_says_how_to_make_one()
    {
        var error = Assert.Throws<FileNotFoundException>(() => SweepFolder.Open(folder.Path));
        Assert.Contains("nfm sweep new", error.Message);
    }

    [Fact]
    public void Numbers_grow_wider_only_for_large_grids()
    {
        var large = new SweepDefinition([], [new GridAxis("seed", Enumerable.Range(0, 1001).Select(seed => seed.ToString()).ToList())], []);
        var sweep = SweepFolder.Create(folder.Path, large, SweepSchema.Text);

        Assert.Equal("0007", sweep.Number(7));
    }

    [Fact]
    public void Editing_the_grid_after_a_task_ran_is_refused_naming_the_task()
    {
        var sweep = SweepFolder.Create(folder.Path, Definition, SweepSchema.Text);
        Directory.CreateDirectory(sweep.TaskPath(2));
        TaskRecord.NotStarted(Definition.Task(2), Definition.Evaluate).Write(sweep.TaskRecordPath(2));
        _ = SweepFolder.Open(folder.Path); // unedited, it opens

        // A seed added to the last axis moves task 2 (scheme=erm seed=... becomes another task).
        var edited = Definition with { Grid = [new GridAxis("scheme", ["erm", "nfm"]), new GridAxis("seed", ["1", "2", "3"])] };
        edited.Write(sweep.DefinitionPath);

        var error = Assert.Throws<InvalidDataException>(() => SweepFolder.Open(folder.Path));
        Assert.Contains("was changed after task 2 ran: it trained with model=toy-mlp scheme=nfm seed=1, the file now gives model=toy-mlp scheme=erm seed=3", error.Message);
    }

    [Fact]
    public void A_record_that_names_another_task_than_its_folder_is_called_damaged_not_blamed_on_the_grid()
    {
        var sweep = SweepFolder.Create(folder.Path, Definition, SweepSchema.Text);
        Directory.CreateDirectory(sweep.TaskPath(0));
        var record = TaskRecord.NotStarted(Definition.Task(0), Definition.Evaluate);
        record.Write(sweep.TaskRecordPath(0));
        File.WriteAllText(sweep.TaskRecordPath(0), File.ReadAllText(sweep.TaskRecordPath(0)).Replace("\"index\": 0", "\"index\": 7000000"));

        var error = Assert.Throws<InvalidDataException>(() => SweepFolder.Open(folder.Path));
        Assert.Contains($"{sweep.TaskRecordPath(0)} is damaged: it records task 7000000, but lies in the folder of task 000", error.Message);
        Assert.DoesNotContain("was changed", error.Message);
    }

    [Fact]
    public void A_task_recorded_done_is_done_only_while_its_report_is_there()
    {
        var sweep = SweepFolder.Create(folder.Path, Definition, SweepSchema.Text);
        Directory.CreateDirectory(sweep.TaskPath(1));
        (TaskRecord.NotStarted(Definition.Task(1), Definition.Evaluate) with { State = TaskState.Done }).Write(sweep.TaskRecordPath(1));
        Assert.False(sweep.IsDone(1));

        Directory.CreateDirectory(sweep.RunFolder(1).Path);
        File.WriteAllText(sweep.RunFolder(1).ReportPath, "{}");
        Assert.True(sweep.IsDone(1));
        Assert.False(sweep.IsDone(0));
    }

    [Fact]
    public void Changing_the_evaluation_after_a_task_ran_is_refused_too()
    {
        var sweep = SweepFolder.Create(folder.Path, Definition, SweepSchema.Text);
        Directory.CreateDirectory(sweep.TaskPath(0));
        TaskRecord.NotStarted(Definition.Task(0), Definition.Evaluate).Write(sweep.TaskRecordPath(0));
        (Definition with { Evaluate = [new SweepOption("perturb", "white:0.3")] }).Write(sweep.DefinitionPath);

        var error = Assert.Throws<InvalidDataException>(() => SweepFolder.Open(folder.Path));
        Assert.Contains("it was evaluated with the defaults, the file now gives perturb=white:0.3", error.Message);
    }

    [Fact]
    public void Growing_the_first_axis_keeps_every_index_and_is_accepted()
    {
        var sweep = SweepFolder.Create(folder.Path, Definition, SweepSchema.Text);
        for (var index = 0; index < Definition.TaskCount; index++)
        {
            Directory.CreateDirectory(sweep.TaskPath(index));
            TaskRecord.NotStarted(Definition.Task(index), Definition.Evaluate).Write(sweep.TaskRecordPath(index));
        }
        (Definition with { Grid = [new GridAxis("scheme", ["erm", "nfm", "mixup"]), new GridAxis("seed", ["1", "2"])] }).Write(sweep.DefinitionPath);

        Assert.Equal(6, SweepFolder.Open(folder.Path).Definition.TaskCount);
    }

    [Fact]
    public void A_task_lock_is_exclusive_and_names_the_holder()
    {
        var sweep = SweepFolder.Create(folder.Path, Definition, SweepSchema.Text);
        using (sweep.LockTask(1))
        {
            Directory.CreateDirectory(sweep.TaskPath(1));
            TaskRecord.NotStarted(Definition.Task(1), Definition.Evaluate).Write(sweep.TaskRecordPath(1));
            var error = Assert.Throws<InvalidOperationException>(() => sweep.LockTask(1));
            Assert.Contains($"task 1 of {folder.Path} is being run by another process (process {Environment.ProcessId} on {Environment.MachineName})", error.Message);
        }
        using var again = sweep.LockTask(1);
    }

    [Fact]
    public void A_task_record_round_trips_and_a_damaged_one_is_named()
    {
        var sweep = SweepFolder.Create(folder.Path, Definition, SweepSchema.Text);
        Directory.CreateDirectory(sweep.TaskPath(1));
        var record = TaskRecord.NotStarted(Definition.Task(1), Definition.Evaluate) with { State = TaskState.Failed, Attempts = 2, ExitCode = 1, Error = "it's \"bad\"" };
        record.Write(sweep.TaskRecordPath(1));

        var read = sweep.ReadRecord(1)!;
        Assert.Equal((TaskState.Failed, 2, 1, "it's \"bad\""), (read.State, read.Attempts, read.ExitCode, read.Error));
        Assert.Equal(record.TrainOptions, read.TrainOptions);
        Assert.Null(sweep.ReadRecord(0));

        File.WriteAllText(sweep.TaskRecordPath(1), "{}");
        var error = Assert.Throws<InvalidDataException>(() => sweep.ReadRecord(1));
        Assert.Contains($"{sweep.TaskRecordPath(1)} is not a valid task record: \"index\" is missing", error.Message);
    }
}
