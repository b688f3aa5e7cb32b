using System.CommandLine;
using NfmGen.Cli.Commands;
using NfmGen.Sweeps;

namespace NfmGen.Cli.Sweeps;

/// <summary>
/// Turns a sweep's options into the arguments of <c>nfm train</c> and <c>nfm eval</c>, and back: a sweep names the
/// commands' own options, so every name and value is checked by the commands' own parsers.
/// </summary>
internal static class SweepArguments
{
    /// <summary>The train and eval options whose values are paths: kept absolute, and mounted into a cluster's pods.</summary>
    public static readonly string[] PathOptions = ["data", "cifar-c", "imagenet-c"];

    /// <summary>Training options a sweep owns: each task has its run folder, and resumes by itself.</summary>
    private static readonly string[] ReservedTrainOptions = ["run", "resume"];

    /// <summary>Evaluation options a sweep owns: it evaluates each task's run, into that run.</summary>
    private static readonly string[] ReservedEvaluateOptions = ["run", "out", "checkpoint"];

    /// <summary>The arguments of <c>nfm train</c> for <paramref name="options"/> (without <c>--run</c>).</summary>
    /// <exception cref="ArgumentException">An option is not one of <c>nfm train</c>'s, or is reserved; the message lists the accepted ones.</exception>
    public static List<string> Train(IEnumerable<SweepOption> options) => Arguments(TrainCommand.Create(), options, ReservedTrainOptions);

    /// <summary>The arguments of <c>nfm eval</c> for <paramref name="options"/> (without <c>--run</c>).</summary>
    /// <exception cref="ArgumentException">An option is not one of <c>nfm eval</c>'s, or is reserved.</exception>
    public static List<string> Evaluate(IEnumerable<SweepOption> options) => Arguments(EvalCommand.Create(), options, ReservedEvaluateOptions);

    /// <summary>
    /// Checks every task of <paramref name="definition"/> as <c>nfm train</c> and <c>nfm eval</c> would parse it, and that
    /// each task names a model and a dataset.
    /// </summary>
    /// <exception cref="ArgumentException">The first task that does not parse, with the parser's message.</exception>
    public static void Validate(SweepDefinition definition)
    {
        foreach (var axis in definition.Grid)
            _ = Train([new SweepOption(axis.Option, axis.Values[0])]); // names the axis, not a task, when its option is unknown
        foreach (var task in definition.Tasks())
            _ = ForTask(definition, task);
    }

    /// <summary>
    /// The arguments of <c>nfm train</c> and <c>nfm eval</c> for <paramref name="task"/> (without <c>--run</c>), checked
    /// as the commands parse them, and the task names a model and a dataset.
    /// </summary>
    /// <exception cref="ArgumentException">The options do not parse, with the parser's message naming the task.</exception>
    public static (List<string> Train, List<string> Evaluate) ForTask(SweepDefinition definition, SweepTask task)
    {
        var evaluate = Evaluate(definition.Evaluate);
        Check(EvalCommand.Create(), evaluate, "the evaluation");
        var train = Train(task.TrainOptions);
        Check(TrainCommand.Create(), train, $"task {task.Index} ({task.Describe()})");
        foreach (var required in (string[])["model", "dataset"])
        {
            if (task.Value(required) is null)
                throw new ArgumentException($"task {task.Index} ({task.Describe()}) has no {required}: give --{required} as a base option or a grid axis");
        }
        return (train, evaluate);
    }

    /// <summary>
    /// The options a user gave <c>nfm train</c> in <paramref name="arguments"/>, as a sweep holds them, in the order of
    /// the command's options.
    /// </summary>
    /// <exception cref="ArgumentException">The arguments do not parse as <c>nfm train</c>'s, or name a reserved option.</exception>
    public static List<SweepOption> ParseTrain(IReadOnlyList<string> arguments)
    {
        var command = TrainCommand.Create();
        var result = Check(command, arguments, "the training options");
        var options = new List<SweepOption>();
        foreach (var option in command.Options)
        {
            if (result.GetResult(option) is not { Implicit: false } given)
                continue;
            var name = option.Name.TrimStart('-');
            if (ReservedTrainOptions.Contains(name))
                throw new ArgumentException($"{option.Name} is set by the sweep for each task; leave it out");
            options.Add(IsFlag(option)
                ? new SweepOption(name, given.Tokens.Count == 0 ? "true" : given.Tokens[0].Value.ToLowerInvariant())
                : new SweepOption(name, given.Tokens.Select(token => token.Value).ToList()));
        }
        return options;
    }

    private static ParseResult Check(Command command, IReadOnlyList<string> arguments, string what)
    {
        var result = new RootCommand { command }.Parse([command.Name, .. arguments]);
        if (result.Errors.Count > 0)
            throw new ArgumentException($"{what}: not valid 'nfm {command.Name}' options: {string.Join("; ", result.Errors.Select(error => error.Message))}");
        return result;
    }

    private static List<string> Arguments(Command command, IEnumerable<SweepOption> options, string[] reserved)
    {
        var arguments = new List<string>();
        foreach (var option in options)
        {
            if (reserved.Contains(option.Name))
                throw new ArgumentException($"'{option.Name}' is set by the sweep for each task; leave it out of the sweep");
            var target = command.Options.FirstOrDefault(candidate => candidate.Name == "--" + option.Name)
                ?? throw new ArgumentException(
                    $"'{option.Name}' is not an option of 'nfm {command.Name}' (accepted: {string.Join(", ", command.Options.Select(candidate => candidate.Name.TrimStart('-')).Where(name => !reserved.Contains(name) && name != "help"))})");
            foreach (var value in option.Values)
            {
                if (!IsFlag(target))
                    arguments.AddRange([target.Name, value]);
                else if (value == "true")
                    arguments.Add(target.Name);
                else if (value != "false")
                    throw new ArgumentException($"'{option.Name}' is a switch: its value must be true or false (was '{value}')");
            }
        }
        return arguments;
    }

    private static bool IsFlag(Option option) => option.ValueType == typeof(bool);
}
