using System.Runtime.InteropServices;
using System.Text.Json;
using NfmGen.Data;
using NfmGen.Training;
using static TorchSharp.torch;

namespace NfmGen.Interop;

/// <summary>
/// Writes a network as an ONNX model for ONNX Runtime and every other ONNX consumer, straight from .NET (no Python):
/// opset <see cref="Opset"/>, float32, inference mode (batch norms use their running statistics, dropout passes
/// through), a symbolic batch axis. The input's normalisation can be put in the graph (its first nodes subtract the
/// mean and divide by the std), so that the model takes pixels in [0, 1]; the class names and the normalisation are
/// written in its metadata.
/// <code>
/// OnnxExport.Save(network, "model.onnx", sampleShape: [3, 32, 32], Normalization.Cifar10, classNames);
/// </code>
/// A generated network is written layer by layer as its forward pass runs them; each module layer must be a
/// <see cref="KnownLayers"/> layer or implement <see cref="IOnnxLayer"/> (the zoo's blocks do). Method layers and
/// hand-written <c>forward</c>s are code ONNX cannot see: declare such a layer as a module, or implement
/// <see cref="IOnnxLayer"/> on the network.
/// </summary>
public static class OnnxExport
{
    /// <summary>The ONNX opset the models use.</summary>
    public const int Opset = 17;

    /// <summary>The name of the model's input: <c>[batch, ...sampleShape]</c>.</summary>
    public const string InputName = "input";

    /// <summary>The name of the model's output: the logits, <c>[batch, classes]</c>.</summary>
    public const string OutputName = "logits";

    /// <summary>Metadata key of the class names, a JSON array of strings (index = class).</summary>
    public const string ClassesKey = "classes";

    /// <summary>Metadata keys of the normalisation's mean and std per channel, JSON arrays on the [0, 1] pixel scale.</summary>
    public const string MeanKey = "mean", StdKey = "std";

    /// <summary>The layer types with a known ONNX form.</summary>
    public static IReadOnlyList<string> KnownLayers => OnnxLayers.Known;

    /// <summary>Writes <paramref name="network"/> to <paramref name="path"/> (replaced atomically) as an ONNX model.</summary>
    /// <param name="network">The network; its weights are copied as they are now.</param>
    /// <param name="path">The file to write.</param>
    /// <param name="sampleShape">One sample's shape, without the batch axis: <c>[C, H, W]</c> for images.</param>
    /// <param name="normalization">The input normalisation to put in the graph; null: the model takes the network's input as it is.</param>
    /// <param name="classNames">The class names (as many as the network has outputs) for the metadata; null: none written.</param>
    /// <param name="metadata">More metadata (the run, the weights); keys must differ from the ones this method writes.</param>
    /// <exception cref="ArgumentException">The sample shape does not fit the network or the normalisation, or the class names do not fit its outputs.</exception>
    /// <exception cref="NotSupportedException">A layer of the network has no ONNX form here; the message names it.</exception>
    public static void Save(INfmNetwork network, string path, IReadOnlyList<long> sampleShape, Normalization? normalization = null,
        IReadOnlyList<string>? classNames = null, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(sampleShape);
        if (sampleShape.Count == 0 || sampleShape.Any(side => side < 1))
            throw new ArgumentException($"sampleShape must be one sample's shape without the batch axis, each side >= 1 (was [{string.Join(", ", sampleShape)}])", nameof(sampleShape));
        if (normalization is not null && (sampleShape.Count != 3 || sampleShape[0] != normalization.Channels))
            throw new ArgumentException($"a normalisation of {normalization.Channels} channels needs images [{normalization.Channels}, H, W] (sampleShape was [{string.Join(", ", sampleShape)}])", nameof(normalization));

        var outputShape = OutputShape(network, sampleShape);
        if (classNames is not null && (outputShape.Length != 1 || outputShape[0] != classNames.Count))
            throw new ArgumentException($"{classNames.Count} class names for a network whose output is [{string.Join(", ", outputShape)}] per sample", nameof(classNames));

        var graph = new OnnxGraph(network.Module);
        var input = normalization is null ? InputName : Normalize(graph, normalization);
        graph.Rename(Body(network, graph, input), OutputName);
        var properties = Metadata(network, normalization, classNames, metadata);
        var model = OnnxModelFile.Write(graph, network.Info.Name, (InputName, [.. sampleShape]), (OutputName, outputShape), Description(network, normalization), properties);
        AtomicFile.Write(path, model.WriteTo);
    }

    // One inference-mode forward pass on zeros: checks that the sample shape fits, and gives the output's shape.
    private static long[] OutputShape(INfmNetwork network, IReadOnlyList<long> sampleShape)
    {
        var module = network.Module;
        // Each module's own mode, restored one by one, the root first (train() sets its children too): a network may
        // keep some modules (frozen batch norms) in evaluation mode.
        var modes = module.modules().Prepend(module).Select(each => (Module: each, each.training)).ToList();
        try
        {
            module.eval();
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            var device = module.parameters().FirstOrDefault()?.device ?? CPU;
            return module.call(zeros([1, .. sampleShape], device: device)).shape[1..];
        }
        // libtorch's shape errors, and TorchSharp's own checks of them, are how a wrong sample shape shows.
        catch (Exception error) when (error is ExternalException or ArgumentException or InvalidOperationException)
        {
            throw new ArgumentException($"{network.Info.Name} does not take samples of shape [{string.Join(", ", sampleShape)}]: {error.Message.Split('\n')[0]}", nameof(sampleShape), error);
        }
        finally
        {
            foreach (var (each, training) in modes)
                each.train(training);
        }
    }

    private static string Normalize(OnnxGraph graph, Normalization normalization)
    {
        using var mean = tensor(normalization.Mean.ToArray(), [1, normalization.Channels, 1, 1]);
        using var std = tensor(normalization.Std.ToArray(), [1, normalization.Channels, 1, 1]);
        // The same two operations as Normalization.Normalize, so the same float results.
        var centred = graph.Node("Sub", [InputName, graph.Constant(mean, "normalization.mean")]);
        return graph.Node("Div", [centred, graph.Constant(std, "normalization.std")]);
    }

    // The network's own IOnnxLayer form, or else its generated layer chain, which is its forward pass.
    private static string Body(INfmNetwork network, OnnxGraph graph, string input)
    {
        var info = network.Info;
        if (network.Module is IOnnxLayer)
            return graph.Layer(network.Module, input);
        if (info.HasCustomForward)
            throw new NotSupportedException($"cannot export {info.Name} to ONNX: it has its own forward, which ONNX cannot see; implement {nameof(IOnnxLayer)} on it to give its form");
        var children = network.Module.named_children().ToDictionary(child => child.name, child => child.module, StringComparer.Ordinal);
        var value = input;
        foreach (var layer in info.Layers)
        {
            if (layer.Kind == LayerKind.Method)
                throw new NotSupportedException($"cannot export {info.Name} to ONNX: its layer {layer.Name} is a method, whose code ONNX cannot see; "
                    + "declare it as a module (for example Flatten() or Sequential(AdaptiveAvgPool2d(1), Flatten())), or implement IOnnxLayer on the network");
            // A nullable layer left null is not registered, and the forward pass skips it.
            if (children.TryGetValue(layer.Name, out var module))
                value = graph.Layer(module, value);
        }
        return value;
    }

    private static List<KeyValuePair<string, string>> Metadata(INfmNetwork network, Normalization? normalization, IReadOnlyList<string>? classNames,
        IReadOnlyDictionary<string, string>? extra)
    {
        var properties = new List<KeyValuePair<string, string>> { new("network", network.Info.Name) };
        if (classNames is not null)
            properties.Add(new(ClassesKey, JsonSerializer.Serialize(classNames)));
        if (normalization is not null)
        {
            properties.Add(new(MeanKey, JsonSerializer.Serialize(normalization.Mean)));
            properties.Add(new(StdKey, JsonSerializer.Serialize(normalization.Std)));
        }
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            if (properties.Any(property => property.Key == key))
                throw new ArgumentException($"metadata key '{key}' is one OnnxExport writes itself ({string.Join(", ", properties.Select(property => property.Key))})", nameof(extra));
            properties.Add(new(key, value));
        }
        return properties;
    }

    private static string Description(INfmNetwork network, Normalization? normalization) =>
        $"{network.Info.Name}, exported by NfmGen. Input '{InputName}': " + (normalization is null
            ? "the network's input as it is, batch first."
            : $"float32 images [batch, {normalization.Channels}, H, W] with pixels in [0, 1]; the graph normalises them ({normalization}).")
        + $" Output '{OutputName}': the logits, [batch, classes].";
}
