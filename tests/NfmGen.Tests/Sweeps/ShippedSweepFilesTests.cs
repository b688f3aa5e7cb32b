using System.Text.Json;
using Json.Schema;
using NfmGen.Cli.Sweeps;
using NfmGen.Tests.Cli;
using NfmGen.Training;

namespace NfmGen.Tests.Sweeps;

/// <summary>The sweep files in sweeps/: valid against the schema beside them, readable, and accepted by <c>nfm sweep new --from</c>.</summary>
public sealed class ShippedSweepFilesTests
{
    public static TheoryData<string> Files => new() { "cifar10-table1.json", "cifar100-table2.json", "fashion-mnist-quick.json", "cifar10-noisymix.json", "cifar100-noisymix.json",
        "letter-tabular.json", "breast-cancer-tabular.json" };

    private static string Shipped(string name) => Path.Combine(RepositoryPaths.Root, "sweeps", name);

    private static EvaluationResults Validate(string json)
    {
        var schema = JsonSchema.FromText(File.ReadAllText(Shipped(SweepFolder.SchemaFileName)));
        using var document = JsonDocument.Parse(json);
        return schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Each_ships_valid_against_the_schema_beside_it_and_reads_as_a_sweep(string name)
    {
        var text = File.ReadAllText(Shipped(name));

        var result = Validate(text);
        Assert.True(result.IsValid, string.Join("; ", (result.Details ?? []).Where(detail => detail.Errors is not null)
            .SelectMany(detail => detail.Errors!.Select(error => $"{detail.InstanceLocation}: {error.Value}"))));
        Assert.Equal(SweepFolder.SchemaFileName, JsonDocument.Parse(text).RootElement.GetProperty("$schema").GetString());
        Assert.True(SweepDefinition.Read(Shipped(name)).TaskCount > 1);
    }

    [Fact]
    public void The_schema_check_itself_catches_a_file_that_is_not_a_sweep()
    {
        Assert.False(Validate("""{ "version": 1, "grid": [{ "option": "seed" }] }""").IsValid);
        Assert.False(Validate("""{ "version": 1, "train": { "run": "x" } }""").IsValid);
    }

    [Theory]
    [InlineData("cifar10-table1.json", "preactresnet18", "64", "cifar10")]
    [InlineData("cifar100-table2.json", "preact-wide-resnet18", "128", "cifar100")]
    public void The_paper_grids_are_every_scheme_of_its_table_1_by_five_seeds_of_200_epochs_with_the_reference_noise(string name, string model, string width, string dataset)
    {
        var definition = SweepDefinition.Read(Shipped(name));

        var task = definition.Task(0);
        Assert.Equal((model, width, dataset, "200"), (task.Value("model"), task.Value("width"), task.Value("dataset"), task.Value("epochs")));
        Assert.Equal(
            [new GridAxis("scheme", SchemeCatalog.NfmPaperNames), new GridAxis("seed", ["1", "2", "3", "4", "5"])],
            definition.Grid);
        Assert.Equal([new SweepOption("perturb", ["white-ref:0.1,0.2,0.3", "sp-ref:0.02,0.04,0.1"])], definition.Evaluate);
    }

    [Theory]
    [InlineData("cifar10-noisymix.json", "cifar10")]
    [InlineData("cifar100-noisymix.json", "cifar100")]
    public void The_noisymix_grids_train_its_comparison_with_its_recipe(string name, string dataset)
    {
        var definition = SweepDefinition.Read(Shipped(name));

        var task = definition.Task(0);
        Assert.Equal(("preactresnet18", "64", dataset, "200"), (task.Value("model"), task.Value("width"), task.Value("dataset"), task.Value("epochs")));
        // erichson/NoisyMix's cifar.py: Nesterov SGD and a cosine schedule per step, for every scheme it compares.
        Assert.Equal(("true", "cosine"), (task.Value("nesterov"), task.Value("schedule")));
        Assert.Equal([new GridAxis("scheme", ["erm", "augmix", "nfm", "noisymix"]), new GridAxis("seed", ["1", "2", "3", "4", "5"])], definition.Grid);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Nfm_sweep_new_from_each_accepts_it(string name)
    {
        using var folder = new TempDirectory();

        var result = NfmProcess.Run(folder.Path, "sweep", "new", "sw", "--from", Shipped(name), "--data", folder.Path);

        Assert.True(result.ExitCode == 0, result.ToString());
        var written = SweepDefinition.Read(folder.File("sw/sweep.json"));
        Assert.Equal(SweepDefinition.Read(Shipped(name)).Grid, written.Grid);
    }
}
