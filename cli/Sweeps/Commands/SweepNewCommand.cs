using System.CommandLine;
using NfmGen.Cli.Commands;
using NfmGen.Cli.Sweeps;

namespace NfmGen.Cli.Sweeps.Commands;

/// <summary><c>nfm sweep new</c>: writes a sweep's <c>sweep.json</c> from a grid and <c>nfm train</c>'s own options.</summary>
internal static class SweepNewCommand
{
    public static Command Create()
    {
        var folder = SweepCommand.FolderArgument();
        var grid = new Option<string[]>("--grid") { Description = $"An axis of the grid, repeatable: {GridAxis.Syntax}. Any 'nfm train' option: scheme, seed, alpha, add-noise, mult-noise, mix-points, model, width, dataset..." };
        var from = new Option<string?>("--from") { Description = "Start from this sweep file (such as sweeps/cifar10-table1.json); --grid replaces its axis of the same option, other options override its own." };
        var perturb = new Option<string[]>("--perturb") { Description = "The evaluation's perturbations, as 'nfm eval --perturb'; repeatable (default: eval's)." };
        var cifarC = new Option<string?>("--cifar-c") { Description = "Also evaluate on this CIFAR-10-C / CIFAR-100-C folder." };
        var autoAttackVersion = new Option<string?>("--aa-version") { Description = "AutoAttack's version for the evaluation's autoattack specs, as 'nfm eval --aa-version'." };
        var testSamples = new Option<string?>("--test-samples") { Description = "Evaluate only the first N test samples, as 'nfm eval --test-samples'." };
        var select = new Option<string?>("--select") { Description = "Which weights of each task the evaluation scores, as 'nfm eval --select': last (default), best or ema." };
        var command = new Command("new", "Define a sweep: writes DIR/sweep.json (and its JSON Schema). Any other option is an 'nfm train' option every task shares.")
        {
            folder, grid, from, perturb, autoAttackVersion, testSamples, cifarC, select,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(result => CommandErrors.Run(() =>
        {
            var start = result.GetValue(from) is { } path ? SweepDefinition.Read(path) : new SweepDefinition([], [], []);
            // Paths are kept absolute: tasks run from wherever their scheduler starts them.
            var given = SweepArguments.ParseTrain(result.UnmatchedTokens)
                .Select(option => SweepArguments.PathOptions.Contains(option.Name) ? option with { Values = [.. option.Values.Select(Path.GetFullPath)] } : option).ToList();
            var train = Merge(start.Train, given);
            var axes = result.GetValue(grid)?.Select(GridAxis.Parse).ToList() ?? [];
            var evaluate = start.Evaluate.ToList();
            if (result.GetValue(perturb) is { Length: > 0 } perturbations)
                evaluate = Merge(evaluate, [new SweepOption("perturb", perturbations)]);
            if (result.GetValue(autoAttackVersion) is { } version)
                evaluate = Merge(evaluate, [new SweepOption("aa-version", version)]);
            if (result.GetValue(testSamples) is { } samples)
                evaluate = Merge(evaluate, [new SweepOption("test-samples", samples)]);
            if (result.GetValue(cifarC) is { } corruptions)
                evaluate = Merge(evaluate, [new SweepOption("cifar-c", Path.GetFullPath(corruptions))]);
            if (result.GetValue(select) is { } weights)
                evaluate = Merge(evaluate, [new SweepOption("select", weights)]);
            var definition = new SweepDefinition(
                train.Where(option => axes.All(axis => axis.Option != option.Name)).ToList(),
                [.. start.Grid.Where(axis => axes.All(given => given.Option != axis.Option)), .. axes],
                evaluate);
            definition.Validate();
            SweepArguments.Validate(definition);
            var sweep = SweepFolder.Create(result.GetValue(folder)!, definition, SweepSchema.Text);
            Console.WriteLine($"Wrote {sweep.DefinitionPath}: {definition.TaskCount} tasks. See them with: nfm sweep list {sweep.Path}");
            return 0;
        }));
        return command;
    }

    // Options given later replace earlier ones of the same name, in place; new ones go at the end.
    private static List<SweepOption> Merge(IReadOnlyList<SweepOption> first, IReadOnlyList<SweepOption> later) =>
        [.. first.Select(option => later.FirstOrDefault(given => given.Name == option.Name) ?? option),
         .. later.Where(given => first.All(option => option.Name != given.Name))];
}
