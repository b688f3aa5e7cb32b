using System.CommandLine;
using NfmGen.Cli.Commands;
using NfmGen.Cli.Sweeps;

namespace NfmGen.Cli.Sweeps;

/// <summary>
/// Turns a sweep's options into the arguments of <c>nfm train</c> and <c>nfm eval</c>, and back: a sweep names the
/// commands' own options, so every name and value is checked by the commands' own parsers.
/// </summary>
internal static class SweepArguments
{
    /// <summary>The train and eval options whose values are paths: kept absolute, and mounted into a cluster's pods.</summary>
    public static readonly string[] PathOptions = ["data", "cifar-c", "imagenet-c", "tensorboard-dir"];

    /// <summary>Training options a sweep owns: each task has its run folder, and resumes by itself.</summary>
    private static readonly string[] ReservedTrainOptions = ["run", "resume"];

    /// <summary>Evaluation options a sweep owns: it evaluates each task's run, into that run.</summary>
    private static readonly string[] ReservedEvaluateOptions = ["run", "out", "checkpoint"];

    /// <summary>
    /// Checks every task of <paramref name="definition"/> as <c>nfm train</c> and <c>nfm eval</c> would parse it, and that
    /// each task names a model and a dataset.
    /// </summary>
    /// <exception cref="ArgumentException">The first task that does not parse, with the parser's message.</exception>
    public static void Validate(SweepDefinition definition)
    {
        foreach (var axis in definition.Grid)
            _ = Arguments(TrainCommand.Create(), [new SweepOption(axis.Option, axis.Values[0])], ReservedTrainOptions); // names the axis, not a task
        foreach (var task in definition.Tasks())
            _ = ForTask(definition, task, runFolder: "run"); // parsing reads and writes no file
    }

    /// <summary>
    /// What <paramref name="task"/> runs with its run in <paramref name="runFolder"/>: its options parsed and checked as
    /// <c>nfm train</c> and <c>nfm eval</c> parse theirs. The task must name a model and a dataset.
    /// </summary>
    /// <exception cref="ArgumentException">The options do not parse or make no valid run; the message names the task.</exception>
    public static TaskRequest ForTask(SweepDefinition definition, SweepTask task, string runFolder)
    {
        var evaluate = Parsed("the evaluation", () => EvalCommand.Parse([.. Arguments(EvalCommand.Create(), definition.Evaluate, ReservedEvaluateOptions), "--run", runFolder]));
        var name = $"task {task.Index} ({task.Describe()})";
        foreach (var required in (string[])["model", "dataset"])
        {
            if (task.Value(required) is null)
                throw new ArgumentException($"{name} has no {required}: give --{required} as a base option or a grid axis");
        }
        var train = Parsed(name, () => TrainCommand.Parse([.. Arguments(TrainCommand.Create(), task.TrainOptions, ReservedTrainOptions), "--run", runFolder]));
        // Weights the evaluation scores must be weights the training keeps: found now, not after every task has trained.
        if (train.Start?.Options is { } options && evaluate.Weights.Checkpoint is null)
        {
            if (evaluate.Weights.Select == WeightsChoice.Best && options.ValidationFraction == 0)
                throw new ArgumentException($"{name}: the evaluation scores the best weights (select best), which need a validation split: add --val-fraction");
            if (evaluate.Weights.Select == WeightsChoice.Ema && !options.ModelEma)
                throw new ArgumentException($"{name}: the evaluation scores the moving average (select ema), which needs --model-ema");
        }
        return new TaskRequest(train, evaluate);
    }

    // The parser's message, prefixed with what was parsed.
    private static T Parsed<T>(string what, Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (Exception error) when (error is ArgumentException or FormatException)
        {
            throw new ArgumentException($"{what}: {CommandErrors.UserMessage(error)}", error);
        }
    }

    /// <summary>
    /// The options a user gave <c>nfm train</c> in <paramref name="arguments"/>, as a sweep holds them, in the order of
    /// the command's options.
    /// </summary>
    /// <exception cref="ArgumentException">The arguments do not parse as <c>nfm train</c>'s, or name a reserved option.</exception>
    public static List<SweepOption> ParseTrain(IReadOnlyList<string> arguments)
    {
        var command = TrainCommand.Create();
        var result = Parsed("the training options", () => OptionParsing.Parse(command, arguments));
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
