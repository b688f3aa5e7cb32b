using System.CommandLine;
using NfmGen.Cli.Data;
using NfmGen.Interop;
using NfmGen.Training;

namespace NfmGen.Cli.Commands;

/// <summary>
/// <c>nfm export</c>: a run's trained weights as a PyTorch state dict (<c>.pt</c>), a safetensors file, or a whole ONNX
/// model (graph, weights, normalisation and class names) for ONNX Runtime.
/// </summary>
internal static class ExportCommand
{
    /// <summary>The formats <c>--format</c> names.</summary>
    public const string PyTorch = "pt", Safetensors = "safetensors", Onnx = "onnx";

    public static Command Create()
    {
        var run = new Option<string>("--run") { Description = "The run folder made by 'nfm train' or 'nfm import' (its last checkpoint is exported)." };
        var weights = new WeightsArguments("Export this checkpoint file of the run instead of its last one.");
        var output = new Option<string>("--out") { Description = "The file to write: .pt, .pth or .bin (torch.save pickle), .safetensors or .onnx; missing folders are created." };
        var format = FormatOption();
        var imageSize = new Option<int?>("--image-size") { Description = "ONNX: the side of the input images, for a run that does not record it (imported with --classes and --channels)." };
        var command = new Command("export", "Write a run's weights for PyTorch: model.load_state_dict(torch.load(file)) in the paper's code "
            + "(erichson/NFM; tools/reference_models.py transcribes its networks), or safetensors; or the whole model as ONNX for ONNX Runtime "
            + "(its input: images with pixels in [0, 1], normalised inside the graph; its metadata: the class names and normalisation).")
        {
            run, output, format, imageSize,
        };
        foreach (var option in weights.All)
            command.Options.Add(option);
        command.SetAction(result => CommandErrors.Run(() =>
        {
            var file = result.GetValue(output) ?? throw new ArgumentException($"--out is required: the file to write ({string.Join(", ", Extensions)})");
            var chosen = FormatOf(file, result.GetValue(format));
            var model = RunModel.Open(result.GetValue(run) ?? throw new ArgumentException("--run is required: the run folder whose weights to export"));
            Console.WriteLine(Export(model, weights.Parse(result), file, chosen, imageSize: result.GetValue(imageSize)));
            return 0;
        }));
        return command;
    }

    /// <summary>The <c>--format</c> option, which <c>nfm sweep export</c> takes too.</summary>
    public static Option<string?> FormatOption() => new Option<string?>("--format")
    {
        Description = $"{PyTorch} (torch.save pickle), {Safetensors} or {Onnx}; default: from the --out file's extension.",
    }.OneOf([PyTorch, Safetensors, Onnx]);

    /// <summary>The file extensions export writes.</summary>
    public static IReadOnlyList<string> Extensions => [.. PyTorchWeights.Extensions, ".onnx"];

    /// <summary>The format to write <paramref name="output"/> in: <paramref name="format"/> when given, else the one its extension names.</summary>
    /// <exception cref="ArgumentException">The extension names no format, or another one than <paramref name="format"/>.</exception>
    public static string FormatOf(string output, string? format)
    {
        var extension = Path.GetExtension(output).ToLowerInvariant();
        var implied = extension switch
        {
            ".onnx" => Onnx,
            ".safetensors" => Safetensors,
            ".pt" or ".pth" or ".bin" => PyTorch,
            _ => null,
        };
        if (format is null)
            return implied ?? throw new ArgumentException($"cannot tell the format of --out {output} from its extension (accepted: {string.Join(", ", Extensions)}, or name it with --format)");
        if (implied is not null && implied != format)
            throw new ArgumentException($"--format {format} does not fit --out {output}, whose extension means {implied}");
        if (implied is null && format != Onnx)
            throw new ArgumentException($"--format {format} needs --out with its extension ({(format == Safetensors ? ".safetensors" : ".pt, .pth or .bin")})");
        return format;
    }

    /// <summary>
    /// Writes the weights <paramref name="weights"/> of <paramref name="run"/> to <paramref name="output"/> in
    /// <paramref name="format"/>, and says what it wrote; an ONNX model's metadata gets <paramref name="metadata"/> too.
    /// </summary>
    public static string Export(RunModel run, WeightsChoice weights, string output, string format, IReadOnlyDictionary<string, string>? metadata = null,
        int? imageSize = null)
    {
        if (imageSize is { } side && (side < 1 || format != Onnx || run.Spec.ImageSize != 0))
            throw new ArgumentException(side < 1 ? $"--image-size must be at least 1 (was {side})"
                : format != Onnx ? "--image-size is for --format onnx: weights files have no input size"
                : $"--image-size {side}: the run records its image size ({run.Spec.ImageSize}), which the export takes");
        long[] sampleShape = imageSize is { } given ? [run.Spec.InChannels, given, given] : run.SampleShape;
        // Like 'nfm eval --out', create the folder, instead of failing on the temporary file the atomic write uses.
        if (Directory.Exists(output))
            throw new IOException($"--out {output} is a folder; name the file to write ({string.Join(", ", Extensions)})");
        // Read before the checkpoint, so that a run the format cannot describe fails before a large file is read.
        var (normalization, classNames) = format == Onnx ? (run.InputNormalization, run.ClassNames) : (null, null);
        using var loaded = run.Load(weights, TorchSharp.torch.CPU);
        var (network, header) = (loaded.Module, loaded.Header);
        var which = weights.Checkpoint ?? weights.Select + " weights";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        if (format == Onnx)
        {
            var properties = new Dictionary<string, string>(metadata ?? new Dictionary<string, string>())
            {
                ["model"] = run.Spec.Model,
                ["scheme"] = header.Scheme.Name,
                ["epoch"] = header.Progress.Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["weights"] = which,
            };
            try
            {
                OnnxExport.Save(loaded.Network, output, sampleShape, normalization, classNames, properties);
            }
            catch (ArgumentException error) when (run.Spec.ImageSize == 0 && imageSize is null && error.ParamName == "sampleShape")
            {
                throw new ArgumentException($"{error.Message}; the run records no image size (a run imported with --classes and --channels): give --image-size", error);
            }
            return $"Wrote {Path.GetFullPath(output)}: ONNX opset {OnnxExport.Opset}, {run.Manifest.Network} ({run.Spec.Model}, {header.ParameterCount:N0} parameters), "
                + $"{header.Scheme.Name} at epoch {header.Progress.Epoch} ({which}); input '{OnnxExport.InputName}' [batch, {string.Join(", ", sampleShape)}]"
                + (normalization is null ? " as the network takes it" : " with pixels in [0, 1], normalised inside the graph")
                + $", output '{OnnxExport.OutputName}'" + (classNames is null ? "; no class names are known for this run" : $"; {classNames.Count} class names in its metadata") + ".";
        }
        PyTorchWeights.Export(network, output);
        return $"Wrote {Path.GetFullPath(output)}: {run.Manifest.Network} ({run.Spec.Model}, {header.ParameterCount:N0} parameters, "
            + $"{network.state_dict().Count} tensors), {header.Scheme.Name} at epoch {header.Progress.Epoch} ({which}).";
    }
}
