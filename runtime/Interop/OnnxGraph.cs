using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace NfmGen.Interop;

/// <summary>
/// The ONNX graph <see cref="OnnxExport"/> is building: <see cref="IOnnxLayer"/> implementations add their nodes
/// through it. Values are named by strings; each call returns the name of the value it computes. Weights become
/// initializers named as in the state dict (<c>layer1.0.conv1.weight</c>).
/// </summary>
public sealed class OnnxGraph
{
    private readonly Dictionary<nn.Module, string> paths = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<string> names = new(StringComparer.Ordinal);
    private readonly Stack<string> scopes = new();
    private int counter;

    internal OnnxGraph(nn.Module root)
    {
        foreach (var (path, module) in root.named_modules())
            paths.TryAdd(module, path);
    }

    internal List<OnnxNode> Nodes { get; } = [];

    internal List<OnnxInitializer> Initializers { get; } = [];

    /// <summary>
    /// Adds the nodes of <paramref name="layer"/> applied to <paramref name="input"/>: its own <see cref="IOnnxLayer"/>
    /// form, or the form of a known layer (<see cref="OnnxExport.KnownLayers"/>).
    /// </summary>
    /// <exception cref="NotSupportedException">The layer has no ONNX form here, or a setting of it has none (the message names it).</exception>
    public string Layer(nn.Module layer, string input)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(input);
        scopes.Push(paths.TryGetValue(layer, out var path) && path.Length > 0 ? path : $"{Scope}{(Scope.Length > 0 ? "." : "")}{layer.GetType().Name}");
        try
        {
            return layer is IOnnxLayer custom ? custom.AddTo(this, input)
                : OnnxLayers.TryAdd(this, layer, input)
                ?? throw Unsupported($"is a {layer.GetType().Name}, which has no ONNX form here (known: {string.Join(", ", OnnxExport.KnownLayers)}); "
                    + $"a module of your own gives its form by implementing {nameof(IOnnxLayer)}");
        }
        finally
        {
            scopes.Pop();
        }
    }

    /// <summary>
    /// Adds one node of the standard ONNX domain (opset <see cref="OnnxExport.Opset"/>) and returns the name of its
    /// output. Attribute values may be <c>long</c>, <c>int</c>, <c>float</c>, <c>double</c>, <c>string</c>,
    /// <c>long[]</c> or <c>float[]</c>.
    /// </summary>
    /// <exception cref="ArgumentException">An attribute value is of another type.</exception>
    public string Node(string opType, IReadOnlyList<string> inputs, IReadOnlyDictionary<string, object>? attributes = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(opType);
        ArgumentNullException.ThrowIfNull(inputs);
        var output = UniqueName($"{Scope}/{opType}");
        var attributeList = (attributes ?? new Dictionary<string, object>()).Select(pair => OnnxAttribute.Of(pair.Key, pair.Value)).ToList();
        Nodes.Add(new OnnxNode(opType, [.. inputs], [output], output, attributeList));
        return output;
    }

    /// <summary>
    /// Adds <paramref name="value"/> (a copy, as float32, or int64 for integer tensors) as an initializer named
    /// <paramref name="name"/> in the current layer's scope (<c>weight</c> in <c>layer1.0.conv1</c> is
    /// <c>layer1.0.conv1.weight</c>), and returns its name.
    /// </summary>
    public string Constant(Tensor value, string name)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        using var scope = NewDisposeScope();
        var integer = !value.is_floating_point();
        var cpu = value.detach().cpu().to_type(integer ? ScalarType.Int64 : ScalarType.Float32).contiguous();
        var bytes = integer ? MemoryMarshal.AsBytes(cpu.data<long>().ToArray().AsSpan()).ToArray()
            : MemoryMarshal.AsBytes(cpu.data<float>().ToArray().AsSpan()).ToArray();
        var qualified = UniqueName(Scope.Length > 0 ? $"{Scope}.{name}" : name);
        Initializers.Add(new OnnxInitializer(qualified, cpu.shape, integer ? OnnxInitializer.Int64 : OnnxInitializer.Float, bytes));
        return qualified;
    }

    /// <summary>The error for a layer, or a setting of one, that has no ONNX form here; the message names the layer.</summary>
    internal NotSupportedException Unsupported(string what) => new($"cannot export {(Scope.Length > 0 ? Scope : "the network")} to ONNX: it {what}");

    /// <summary>Adds a node that gives <paramref name="value"/> the name <paramref name="name"/> (a graph's input or output).</summary>
    internal void Rename(string value, string name) => Nodes.Add(new OnnxNode("Identity", [value], [name], name, []));

    private string Scope => scopes.Count > 0 ? scopes.Peek() : "";

    private string UniqueName(string name)
    {
        var unique = name;
        while (!names.Add(unique))
            unique = $"{name}_{++counter}";
        return unique;
    }
}

/// <summary>One node: an operator of the standard domain, its inputs, outputs and attributes.</summary>
internal sealed record OnnxNode(string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, string Name, IReadOnlyList<OnnxAttribute> Attributes);

/// <summary>One initializer: a named constant tensor, its bytes little-endian in row-major order.</summary>
internal sealed record OnnxInitializer(string Name, long[] Shape, int DataType, byte[] Data)
{
    /// <summary>TensorProto.DataType FLOAT.</summary>
    public const int Float = 1;

    /// <summary>TensorProto.DataType INT64.</summary>
    public const int Int64 = 7;
}

/// <summary>One attribute of a node, of one of the types <see cref="OnnxGraph.Node"/> accepts.</summary>
internal sealed record OnnxAttribute(string Name, object Value)
{
    /// <summary>The attribute, its value checked and widened (<c>int</c> to <c>long</c>, <c>double</c> to <c>float</c>).</summary>
    /// <exception cref="ArgumentException">The value is of a type ONNX attributes do not take here.</exception>
    public static OnnxAttribute Of(string name, object value) => new(name, value switch
    {
        long or float or string or long[] or float[] => value,
        int number => (long)number,
        double number => (float)number,
        int[] numbers => numbers.Select(number => (long)number).ToArray(),
        _ => throw new ArgumentException(
            $"attribute '{name}' is a {value?.GetType().Name ?? "null"} (accepted: long, int, float, double, string, long[], int[], float[])", nameof(value)),
    });
}
