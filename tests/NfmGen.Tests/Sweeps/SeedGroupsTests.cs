using NfmGen.Cli.Sweeps;

namespace NfmGen.Tests.Sweeps;

/// <summary>How <c>nfm sweep report</c> groups a sweep's tasks: those that differ only in their seed.</summary>
public sealed class SeedGroupsTests
{
    [Fact]
    public void Tasks_that_differ_only_in_seed_form_a_group_named_by_the_scheme()
    {
        var groups = SeedGroups.Of(HandMadeSweep.SchemesBySeeds);

        Assert.Equal(["erm", "nfm"], groups.Select(group => group.Name));
        Assert.Equal([[0, 1, 2], [3, 4, 5]], groups.Select(group => group.Tasks.Select(task => task.Index).ToArray()));
        Assert.Equal([new SweepOption("scheme", "nfm")], groups[1].Values);
    }

    [Fact]
    public void Several_varying_axes_name_a_group_by_each_value_and_the_seed_may_be_anywhere()
    {
        var definition = new SweepDefinition([], [new GridAxis("seed", ["1", "2"]), new GridAxis("scheme", ["mixup", "nfm"]), new GridAxis("alpha", ["0.2", "1"])], []);

        var groups = SeedGroups.Of(definition);

        Assert.Equal(["scheme=mixup alpha=0.2", "scheme=mixup alpha=1", "scheme=nfm alpha=0.2", "scheme=nfm alpha=1"], groups.Select(group => group.Name));
        Assert.Equal([2, 6], groups[2].Tasks.Select(task => task.Index));
    }

    [Fact]
    public void One_axis_other_than_the_scheme_names_its_option_too()
    {
        var definition = new SweepDefinition([], [new GridAxis("alpha", ["0.2", "1"]), new GridAxis("seed", ["1", "2"])], []);

        Assert.Equal(["alpha=0.2", "alpha=1"], SeedGroups.Of(definition).Select(group => group.Name));
    }

    [Fact]
    public void Without_a_seed_axis_every_task_is_a_group_of_one_and_a_seeds_only_grid_is_one_group()
    {
        var schemes = new SweepDefinition([], [new GridAxis("scheme", ["erm", "nfm"])], []);
        Assert.Equal([1, 1], SeedGroups.Of(schemes).Select(group => group.Tasks.Count));

        var seeds = new SweepDefinition([new SweepOption("scheme", "mixup")], [new GridAxis("seed", ["1", "2", "3"])], []);
        var group = Assert.Single(SeedGroups.Of(seeds));
        Assert.Equal(("mixup", 3), (group.Name, group.Tasks.Count));
    }
}
