using System.CommandLine;
using NfmGen.Cli.Data;
using NfmGen.Data;
using NfmGen.Data.Images;
using NfmGen.Prediction;
using NfmGen.Training;
using TorchSharp;

namespace NfmGen.Cli.Commands;

/// <summary>
/// <c>nfm predict</c>: a trained run's most probable classes for image files, as text or JSON; for a run on a table, each
/// row of a CSV file with its predicted class and every class's probability, as CSV.
/// </summary>
internal static class PredictCommand
{
    private static readonly string[] Formats = ["text", "json"];

    public static Command Create()
    {
        var run = new Option<string>("--run") { Description = "The run folder made by 'nfm train' (its last checkpoint is used, as by 'nfm eval')." };
        var files = new Argument<string[]>("files")
        {
            Description = $"Image files, or folders (their image files, recursively, sorted: {string.Join(" ", ImageFolderIndex.Extensions)}); for a run on a table, one CSV file of rows.",
            Arity = ArgumentArity.OneOrMore,
        };
        var weights = new WeightsArguments("Use this checkpoint file instead of the run's last one.");
        var top = new Option<int>("--top") { Description = "How many classes per image, most probable first.", DefaultValueFactory = _ => ImagePredictor.DefaultTop }.AtLeast(1);
        var format = new Option<string>("--format") { Description = "text or json.", DefaultValueFactory = _ => "text" }.OneOf(Formats);
        var skipBad = new Option<bool>("--skip-bad-images") { Description = "Report an unreadable image and predict the others (default: stop at it)." };
        var device = new Option<string>("--device") { Description = "auto, cpu, cuda or cuda:N.", DefaultValueFactory = _ => Devices.Auto };
        var batchSize = new Option<int>("--batch-size") { Description = "Images per forward pass.", DefaultValueFactory = _ => ImagePredictor.DefaultBatchSize }.AtLeast(1);
        var maxImagePixels = ImageFolderArguments.MaxImagePixelsOption();
        var output = new Option<string?>("--out") { Description = "Tables: write the rows with their predictions to this CSV file (default: print them)." };
        var command = new Command("predict", "Classify image files with a trained run: the top classes and their softmax probabilities, "
            + "through the run's evaluation transform. For a run on a table: the rows of a CSV file, each with its predicted class and every class's probability.")
        {
            run, files, top, format, skipBad, device, batchSize, maxImagePixels, output,
        };
        foreach (var option in weights.All)
            command.Options.Add(option);
        command.SetAction((result, cancellationToken) => Task.FromResult(CommandErrors.Run(() =>
        {
            var folder = result.GetValue(run) ?? throw new ArgumentException("--run is required: the run folder whose model classifies the images");
            if (RunModel.Open(folder).Manifest.Table is not null)
            {
                Option[] imageOnly = [top, format, skipBad, maxImagePixels];
                if (imageOnly.Where(option => result.GetResult(option) is { Implicit: false }).Select(option => option.Name).ToArray() is { Length: > 0 } given)
                    throw new ArgumentException($"{string.Join(", ", given)}: only for runs on images; {folder} classifies table rows and writes every class's probability as CSV");
                return PredictRows(folder, result.GetValue(files)!, weights.Parse(result), result.GetValue(device)!, result.GetValue(batchSize), result.GetValue(output), cancellationToken);
            }
            if (result.GetValue(output) is not null)
                throw new ArgumentException("--out: only for runs on tables (image predictions are printed as text or --format json)");
            return Predict(folder, result.GetValue(files)!, weights.Parse(result), result.GetValue(top), result.GetValue(format)!,
                result.GetValue(skipBad), result.GetValue(device)!, result.GetValue(batchSize), result.GetValue(maxImagePixels), cancellationToken);
        })));
        return command;
    }

    private static int Predict(string runFolder, IReadOnlyList<string> paths, WeightsChoice weights, int top, string format, bool skipBadImages,
        string deviceName, int batchSize, long? maxImagePixels, CancellationToken cancellationToken)
    {
        var run = RunModel.Open(runFolder);
        var (spec, manifest) = (run.Spec, run.Manifest);
        if (spec.ImageSize == 0)
            throw new ArgumentException($"{runFolder}: {manifest.Network} classifies points ({spec.Dataset}), not images; nothing to predict from a picture");
        var images = ImageFiles(paths);
        var device = Devices.Parse(deviceName);
        var (classNames, loadImage, note) = RunImages(spec, manifest, maxImagePixels ?? spec.MaxImagePixels ?? ImageFolderOptions.DefaultMaxImagePixels);

        using var loaded = run.Load(weights, device, message => Console.Error.WriteLine(message));
        var network = loaded.Module;

        var predictor = new ImagePredictor(network, classNames, loadImage, device, batchSize);
        var predictions = predictor.Predict(images, top, skipBadImages, cancellationToken);
        if (format.Equals("json", StringComparison.OrdinalIgnoreCase))
        {
            Console.Write(PredictionWriter.Json(predictions, note));
        }
        else
        {
            if (note is not null)
                Console.Error.WriteLine("note: " + note);
            Console.Write(PredictionWriter.Text(predictions));
        }
        int skipped = predictions.Count(p => p.IsSkipped);
        if (skipped == predictions.Count)
            throw new InvalidDataException($"none of the {skipped} images could be read (see above): nothing was predicted");
        if (skipped > 0)
            Console.Error.WriteLine($"{skipped} of {predictions.Count} images skipped as unreadable (see above)");
        return 0;
    }

    private static int PredictRows(string runFolder, IReadOnlyList<string> paths, WeightsChoice weights, string deviceName, int batchSize, string? output,
        CancellationToken cancellationToken)
    {
        if (paths.Count != 1)
            throw new ArgumentException($"a run on a table predicts the rows of one CSV file (got {paths.Count}: {string.Join(" ", paths)})");
        var run = RunModel.Open(runFolder);
        var device = Devices.Parse(deviceName);
        using var loaded = run.Load(weights, device, message => Console.Error.WriteLine(message));
        var text = TablePredictor.Predict(loaded.Module, run.Manifest.Table!, paths[0], device, batchSize, cancellationToken);
        if (output is null)
        {
            Console.Write(text);
            return 0;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        AtomicFile.WriteText(output, text);
        Console.Error.WriteLine($"Wrote {Path.GetFullPath(output)}");
        return 0;
    }

    /// <summary>The files to classify: files as given, folders expanded to their image files.</summary>
    private static IReadOnlyList<string> ImageFiles(IReadOnlyList<string> paths) => ImagePredictor.ImageFiles(paths, [.. ImageFolderIndex.Extensions]);

    /// <summary>
    /// The class names and input of the run: a run on image folders keeps both (its evaluation transform); a run on
    /// CIFAR or IDX files keeps neither, so its data set's names (when known) and normalisation serve, with the picture's
    /// centre square resized to the training size.
    /// </summary>
    private static (IReadOnlyList<string> ClassNames, Func<string, torch.Tensor> LoadImage, string? Note) RunImages(ModelSpec spec, RunManifest manifest, long maxPixels)
    {
        if (manifest.Images is { } settings)
        {
            if (settings.ClassNames.Count != manifest.ClassCount)
                throw new InvalidDataException($"the run keeps {settings.ClassNames.Count} class names for a network of {manifest.ClassCount} classes");
            return (settings.ClassNames, PredictionInputs.Evaluation(settings.EvaluationTransform(maxPixels)), null);
        }

        var normalization = RunModel.DatasetNormalization(spec.Dataset);
        var load = PredictionInputs.CentreSquare(spec.ImageSize, normalization, spec.InChannels, maxPixels);
        if (KnownClassNames.For(spec.Dataset) is { } known && known.Count == manifest.ClassCount)
            return (known, load, $"the run keeps no class names: {spec.Dataset}'s published names are shown");
        return (KnownClassNames.Indices(manifest.ClassCount), load,
            $"the run keeps no class names and {(spec.Dataset.Length == 0 ? "its data set" : spec.Dataset)}'s are not known here: classes are shown by index");
    }
}
