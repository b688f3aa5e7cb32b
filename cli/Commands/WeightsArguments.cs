using System.CommandLine;

namespace NfmGen.Cli.Commands;

/// <summary>
/// The options that choose which weights of a run <c>eval</c>, <c>export</c> and <c>predict</c> use: <c>--select</c>
/// (the last checkpoint, or the best epoch on the validation split) or a checkpoint file (<c>--checkpoint</c>).
/// </summary>
internal sealed class WeightsArguments(string checkpointDescription)
{
    public Option<string?> Checkpoint { get; } = new("--checkpoint") { Description = checkpointDescription };

    public Option<string> Select { get; } = new Option<string>("--select")
    {
        Description = "Which weights of the run: last (its last checkpoint), best (the best epoch on its validation split; see 'nfm train --val-fraction') "
            + "or ema (the last checkpoint's moving average; see 'nfm train --model-ema').",
        DefaultValueFactory = _ => WeightsChoice.Last,
    }.OneOf([WeightsChoice.Last, WeightsChoice.Best, WeightsChoice.Ema]);

    /// <summary>The options, in the order the help lists them.</summary>
    public IEnumerable<Option> All => [Select, Checkpoint];

    /// <summary>The weights the options choose.</summary>
    /// <exception cref="ArgumentException">Both a checkpoint file and a selection are given.</exception>
    public WeightsChoice Parse(ParseResult result)
    {
        if (result.GetValue(Checkpoint) is { } file)
        {
            return result.GetResult(Select) is { Implicit: false }
                ? throw new ArgumentException("--checkpoint and --select both choose the weights: give one")
                : new WeightsChoice(file, WeightsChoice.Last);
        }
        return new WeightsChoice(null, result.GetValue(Select)!.ToLowerInvariant());
    }
}

/// <summary>Which weights of a run to load: a checkpoint file, or else the run's <see cref="Last"/>, <see cref="Best"/> or <see cref="Ema"/> weights.</summary>
internal sealed record WeightsChoice(string? Checkpoint, string Select)
{
    /// <summary>The run's last checkpoint.</summary>
    public const string Last = "last";

    /// <summary>The best epoch on the run's validation split (<c>best.bin</c>).</summary>
    public const string Best = "best";

    /// <summary>The moving average of the weights saved with the last checkpoint.</summary>
    public const string Ema = "ema";

    /// <summary>The run's last checkpoint: what a command uses unless told otherwise.</summary>
    public static WeightsChoice Default { get; } = new(null, Last);
}
