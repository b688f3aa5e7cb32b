using System.CommandLine;
using NfmGen.Robustness;
using NfmGen.Training;

namespace NfmGen.Cli.Commands;

/// <summary>
/// <c>nfm eval</c>: declares its options and parses them into an <see cref="EvalRequest"/>, which <see cref="EvalRun"/>
/// carries out: a trained run's robustness to noise, attacks and corruptions, as a report and plot.
/// </summary>
internal sealed class EvalCommand
{
    private readonly Option<string> run = new("--run") { Description = "The run folder made by 'nfm train' (its last checkpoint is evaluated, unless --select or --checkpoint says otherwise)." };
    private readonly WeightsArguments weights = new("Evaluate this checkpoint file instead of the run's last one.");
    private readonly Option<string?> dataset = new("--dataset") { Description = "Evaluate on this dataset's test split instead of the run's (csv: a labelled CSV file with the run's columns, encoded with its statistics)." };
    private readonly Option<string?> data = new("--data") { Description = "Folder of that dataset's files (csv: the file)." };
    private readonly Option<string[]> perturb = new("--perturb")
    {
        Description = $"A perturbation and its levels; repeatable. Forms: {PerturbationSpecParser.Syntax}. Default: {string.Join(" ", RobustnessEvaluator.DefaultImagePerturbations)} for images, {string.Join(" ", RobustnessEvaluator.DefaultOtherPerturbations)} for points, {string.Join(" ", RobustnessEvaluator.DefaultTablePerturbations)} for table rows (σ in standard deviations of the numeric columns; one-hot columns get no noise; feature-drop fills a dropped column as training filled missing values).",
        AllowMultipleArgumentsPerToken = false,
    };
    private readonly Option<string?> autoAttackVersion = new Option<string?>("--aa-version")
    {
        Description = "AutoAttack's version for --perturb autoattack and autoattack-l2 specs that name none: standard (the default, the reference's: "
            + "APGD-CE, APGD-T, FAB-T, Square) or fast (APGD-CE, APGD-T).",
    }.OneOf(["fast", "standard"]);
    private readonly Option<string?> cifarC = new("--cifar-c") { Description = "A CIFAR-10-C / CIFAR-100-C folder (<corruption>.npy and labels.npy) to evaluate too." };
    private readonly Option<string?> imageNetC = new("--imagenet-c")
    {
        Description = "An ImageNet-C folder (<corruption>/<severity 1-5>/<class>/*.JPEG) to evaluate too: accuracy per corruption and severity, CE and mCE (AlexNet = 100).",
    };
    private readonly Option<string?> output = new("--out") { Description = "Folder for report.json/.md/.csv and robustness.png (default: the run folder)." };
    private readonly Option<string?> name = new("--name") { Description = "The report row's name (default: the run's scheme)." };
    private readonly Option<long> seed = new("--seed") { Description = "Seed of the noise and attack starts.", DefaultValueFactory = _ => 0 };
    private readonly Option<string> device = new("--device") { Description = "auto, cpu, cuda or cuda:N.", DefaultValueFactory = _ => Devices.Auto };
    private readonly Option<int?> testSamples = new Option<int?>("--test-samples")
    {
        Description = "Evaluate only the first N test samples, in the test set's order (for costly attacks such as AutoAttack on a CPU); the report's title says so.",
    }.AtLeast(1);
    private readonly Option<int> batchSize = new Option<int>("--batch-size") { Description = "Images per evaluation batch.", DefaultValueFactory = _ => RobustnessEvaluator.DefaultBatchSize }.AtLeast(1);
    private readonly Command command;

    private EvalCommand()
    {
        command = new Command("eval", "Evaluate a trained run on clean and perturbed test data (white noise, salt and pepper, FGSM, PGD, AutoAttack, CIFAR-C, "
            + "ImageNet-C); prints the table in the paper's layout and writes the report and its plot.")
        {
            run, dataset, data, perturb, autoAttackVersion, cifarC, imageNetC, output, name, seed, device, batchSize, testSamples,
        };
        foreach (var option in weights.All)
            command.Options.Add(option);
        command.SetAction((result, cancellationToken) => Task.FromResult(CommandErrors.Run(() => EvalRun.Execute(Request(result), cancellationToken))));
    }

    /// <summary>The <c>eval</c> command.</summary>
    public static Command Create() => new EvalCommand().command;

    /// <summary>The request that <paramref name="arguments"/> (<c>nfm eval</c>'s, without the command's name) make.</summary>
    /// <exception cref="ArgumentException">The arguments do not parse, or name no run; the message says why.</exception>
    public static EvalRequest Parse(IReadOnlyList<string> arguments)
    {
        var parser = new EvalCommand();
        return parser.Request(OptionParsing.Parse(parser.command, arguments));
    }

    private EvalRequest Request(ParseResult result)
    {
        var folder = result.GetValue(run) ?? throw new ArgumentException("--run is required: the run folder to evaluate");
        return new EvalRequest(
            folder, weights.Parse(result), result.GetValue(dataset), result.GetValue(data),
            result.GetValue(perturb) is { Length: > 0 } given ? PerturbationSpecParser.ParseAll(WithVersion(given, result.GetValue(autoAttackVersion))) : null,
            result.GetValue(cifarC), result.GetValue(imageNetC), result.GetValue(output) ?? folder, result.GetValue(name), result.GetValue(seed),
            result.GetValue(device)!, result.GetValue(batchSize), result.GetValue(testSamples));
    }

    // --aa-version names the version of each autoattack spec that does not name its own.
    private static IEnumerable<string> WithVersion(IEnumerable<string> specs, string? version) => version is null ? specs
        : specs.Select(spec => spec.TrimStart().StartsWith("autoattack", StringComparison.OrdinalIgnoreCase)
            && !spec.Contains("version=", StringComparison.OrdinalIgnoreCase) ? $"{spec}:version={version}" : spec);
}
