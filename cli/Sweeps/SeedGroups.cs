namespace NfmGen.Cli.Sweeps;

/// <summary>Splits a sweep's tasks into groups that differ only in their seed, the rows of <c>nfm sweep report</c>.</summary>
internal static class SeedGroups
{
    /// <summary>The option whose values a group averages over.</summary>
    public const string SeedOption = "seed";

    /// <summary>
    /// The groups of <paramref name="definition"/>'s tasks that share every grid value but the seed, in the order of
    /// their first task. A group is named by those values: the value alone when only the scheme varies ("nfm"), else
    /// "option=value" pairs ("scheme=nfm alpha=0.2"); with no axis but the seed, by the sweep's scheme (or "all tasks").
    /// Without a seed axis every task is a group of one.
    /// </summary>
    internal static IReadOnlyList<SeedGroup> Of(SweepDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return [.. definition.Tasks()
            .GroupBy(task => string.Join("\n", task.Varying.Where(value => value.Name != SeedOption)))
            .Select(group =>
            {
                var values = group.First().Varying.Where(value => value.Name != SeedOption).ToList();
                return new SeedGroup(Name(values, group.First()), values, [.. group]);
            })];
    }

    private static string Name(IReadOnlyList<SweepOption> values, SweepTask task) => values switch
    {
        [] => task.Value("scheme") ?? "all tasks",
        [{ Name: "scheme" } scheme] => scheme.Values[^1],
        _ => string.Join(" ", values),
    };
}
