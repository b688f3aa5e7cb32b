using NfmGen.Cli.Sweeps;

namespace NfmGen.Tests.Sweeps;

/// <summary>The sweep file: its grid, the task list it defines, and every way it can be wrong.</summary>
public sealed class SweepDefinitionTests
{
    private static readonly SweepDefinition TwoByThree = new(
        [new SweepOption("model", "toy-mlp"), new SweepOption("epochs", "3")],
        [new GridAxis("scheme", ["erm", "nfm"]), new GridAxis("seed", ["1", "2", "3"])],
        [new SweepOption("perturb", ["white:0.1,0.2", "sp:0.02"])]);

    [Fact]
    public void Tasks_are_the_grids_product_with_the_last_axis_varying_fastest()
    {
        var tasks = TwoByThree.Tasks().ToList();

        Assert.Equal(6, TwoByThree.TaskCount);
        Assert.Equal(["scheme=erm seed=1", "scheme=erm seed=2", "scheme=erm seed=3", "scheme=nfm seed=1", "scheme=nfm seed=2", "scheme=nfm seed=3"],
            tasks.Select(task => task.Describe()));
        Assert.Equal(
            [new SweepOption("model", "toy-mlp"), new SweepOption("epochs", "3"), new SweepOption("scheme", "nfm"), new SweepOption("seed", "2")],
            tasks[4].TrainOptions);
        Assert.Equal("2", tasks[4].Value("seed"));
        Assert.Null(tasks[4].Value("width"));
    }

    [Fact]
    public void The_same_index_always_gives_the_same_task()
    {
        var reread = SweepDefinition.Parse(TwoByThree.ToJson());

        Assert.Equal(TwoByThree, reread);
        Assert.Equal(TwoByThree.Tasks(), reread.Tasks());
    }

    [Fact]
    public void Numbers_and_switches_keep_their_written_form_through_the_file()
    {
        var json = """
            { "version": 1, "train": { "lr": 0.05, "no-augment": true, "data": "/data/x" },
              "grid": [ { "option": "alpha", "values": [0.2, 1.0, "1e-1"] } ] }
            """;
        var definition = SweepDefinition.Parse(json);

        Assert.Equal([new SweepOption("lr", "0.05"), new SweepOption("no-augment", "true"), new SweepOption("data", "/data/x")], definition.Train);
        Assert.Equal(["0.2", "1.0", "1e-1"], definition.Grid[0].Values);
        Assert.Contains("\"no-augment\": true", definition.ToJson());
        Assert.Equal(definition, SweepDefinition.Parse(definition.ToJson()));
    }

    [Fact]
    public void No_grid_is_one_task()
    {
        var definition = SweepDefinition.Parse("""{ "version": 1, "train": { "model": "toy-mlp" } }""");

        Assert.Equal(1, definition.TaskCount);
        Assert.Equal("(no grid)", definition.Task(0).Describe());
    }

    [Fact]
    public void An_index_outside_the_grid_is_refused_with_the_range()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => TwoByThree.Task(6));
        Assert.Contains("0..5", error.Message);
        Assert.Contains("was 6", error.Message);
    }

    [Theory]
    [InlineData("""{ "train": {} }""", "\"version\" must be the number 1")]
    [InlineData("""{ "version": 2 }""", "\"version\" is 2")]
    [InlineData("""{ "version": 1, "grids": [] }""", "unknown field \"grids\"")]
    [InlineData("""{ "version": 1, "train": [] }""", "\"train\" must be an object")]
    [InlineData("""{ "version": 1, "train": { "lr": null } }""", "train.lr must be a string, a number or a boolean")]
    [InlineData("""{ "version": 1, "train": { "lr": { "a": 1 } } }""", "train.lr must be")]
    [InlineData("""{ "version": 1, "grid": { "seed": [1] } }""", "\"grid\" must be an array")]
    [InlineData("""{ "version": 1, "grid": [ { "option": "seed" } ] }""", "grid[0] must be")]
    [InlineData("""{ "version": 1, "grid": [ { "option": "seed", "values": [] } ] }""", "grid axis 'seed' has no values")]
    [InlineData("""{ "version": 1, "grid": [ { "option": "seed", "values": [1, 1] } ] }""", "lists '1' twice")]
    [InlineData("""{ "version": 1, "grid": [ { "option": "seed", "values": [1] }, { "option": "seed", "values": [2] } ] }""", "two axes for 'seed'")]
    [InlineData("""{ "version": 1, "train": { "seed": 3 }, "grid": [ { "option": "seed", "values": [1] } ] }""", "both a base training option (seed=3) and a grid axis")]
    [InlineData("""{ "version": 1, "grid": [ { "option": "seed", "values": [[1]] } ] }""", "grid[0].values[0] must be")]
    public void A_bad_file_is_refused_naming_the_field(string json, string expected)
    {
        var error = Assert.ThrowsAny<Exception>(() => SweepDefinition.Parse(json));
        Assert.IsType<FormatException>(error);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_grid_with_too_many_tasks_is_refused()
    {
        var huge = Enumerable.Range(0, 4).Select(axis => new GridAxis($"option{axis}", Enumerable.Range(0, 100).Select(value => value.ToString()).ToList())).ToList();
        var error = Assert.Throws<FormatException>(() => new SweepDefinition([], huge, []).Validate());
        Assert.Contains("more than 1,000,000 tasks (100 x 100 x 100 x 100)", error.Message);
    }

    [Fact]
    public void Reading_a_file_names_it_in_the_error()
    {
        using var folder = new TempDirectory();
        File.WriteAllText(folder.File("sweep.json"), "{ not json");

        var error = Assert.Throws<InvalidDataException>(() => SweepDefinition.Read(folder.File("sweep.json")));
        Assert.StartsWith(folder.File("sweep.json") + " is not a valid sweep definition", error.Message);
    }
}
