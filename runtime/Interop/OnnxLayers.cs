using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NfmGen.Interop;

/// <summary>The ONNX forms of the TorchSharp layers <see cref="OnnxExport.KnownLayers"/> lists, in inference mode.</summary>
internal static class OnnxLayers
{
    /// <summary>The layer types with a form here, as a user reads them.</summary>
    public static IReadOnlyList<string> Known { get; } =
    [
        "Sequential", "Conv2d", "Linear", "BatchNorm1d/2d", "ReLU", "LeakyReLU", "Sigmoid", "Tanh", "MaxPool2d", "AvgPool2d",
        "AdaptiveAvgPool2d(1)", "Flatten(1)", "Dropout", "Identity",
    ];

    /// <summary>Adds the nodes of <paramref name="layer"/> and returns its output; null when the layer's type has no form here.</summary>
    public static string? TryAdd(OnnxGraph graph, nn.Module layer, string input) => layer switch
    {
        Sequential sequential => sequential.children().Aggregate(input, (value, child) => graph.Layer(child, value)),
        // Inference: dropout passes its input through.
        Dropout or Identity => input,
        Conv2d conv => Convolution(graph, conv, input),
        Linear linear => Linear(graph, linear, input),
        BatchNorm norm => BatchNorm(graph, norm, input),
        ReLU => graph.Node("Relu", [input]),
        LeakyReLU leaky => graph.Node("LeakyRelu", [input], new Dictionary<string, object> { ["alpha"] = leaky.negative_slope }),
        Sigmoid => graph.Node("Sigmoid", [input]),
        Tanh => graph.Node("Tanh", [input]),
        MaxPool2d pool => MaxPool(graph, pool, input),
        AvgPool2d pool => AveragePool(graph, pool, input),
        AdaptiveAvgPool2d pool => pool.output_size.All(side => side == 1) ? graph.Node("GlobalAveragePool", [input])
            : throw graph.Unsupported($"pools to [{string.Join(", ", pool.output_size)}]; only AdaptiveAvgPool2d(1) (global average pooling) has an ONNX form here"),
        Flatten flatten => flatten is { start_dim: 1, end_dim: -1 } ? graph.Node("Flatten", [input], new Dictionary<string, object> { ["axis"] = 1L })
            : throw graph.Unsupported($"flattens dimensions {flatten.start_dim} to {flatten.end_dim}; only Flatten(1), everything after the batch, has an ONNX form here"),
        _ => null,
    };

    private static string Convolution(OnnxGraph graph, Conv2d conv, string input)
    {
        if (conv.padding_mode != PaddingModes.Zeros)
            throw graph.Unsupported($"pads with {conv.padding_mode}; only zero padding has an ONNX form here");
        var kernel = Pair(conv.kernel_size, 1);
        var dilation = Pair(conv.dilation, 1);
        var attributes = new Dictionary<string, object>
        {
            ["kernel_shape"] = kernel,
            ["strides"] = Pair(conv.stride, 1),
            ["dilations"] = dilation,
            ["group"] = conv.groups,
            ["pads"] = ConvolutionPads(graph, conv, kernel, dilation),
        };
        List<string> inputs = [input, graph.Constant(conv.weight!, "weight")];
        if (conv.bias is { } bias)
            inputs.Add(graph.Constant(bias, "bias"));
        return graph.Node("Conv", inputs, attributes);
    }

    // ONNX's pads: the starts of both spatial axes, then their ends. PyTorch's "same" pads the end with the odd pixel.
    private static long[] ConvolutionPads(OnnxGraph graph, Conv2d conv, long[] kernel, long[] dilation)
    {
        if (conv.padding_type is { } type)
        {
            if (type == Padding.Valid)
                return [0, 0, 0, 0];
            var total = kernel.Select((side, axis) => dilation[axis] * (side - 1)).ToArray();
            return [total[0] / 2, total[1] / 2, total[0] - total[0] / 2, total[1] - total[1] / 2];
        }
        return SymmetricPads(conv.padding);
    }

    // x W^T + b as MatMul and Add, which, unlike Gemm, take inputs of any rank as Linear does.
    private static string Linear(OnnxGraph graph, Linear linear, string input)
    {
        string weight;
        using (NewDisposeScope())
            weight = graph.Constant(linear.weight!.detach().t(), "weight");
        var output = graph.Node("MatMul", [input, weight]);
        return linear.bias is { } bias ? graph.Node("Add", [output, graph.Constant(bias, "bias")]) : output;
    }

    private static string BatchNorm(OnnxGraph graph, BatchNorm norm, string input)
    {
        if (norm.running_mean is not { } mean || norm.running_var is not { } variance)
            throw graph.Unsupported("keeps no running statistics (track_running_stats: false), so it normalises by each batch's own; ONNX's BatchNormalization takes fixed ones");
        using var scope = NewDisposeScope();
        var scale = norm.weight is { } weight ? graph.Constant(weight, "weight") : graph.Constant(ones(norm.num_features), "weight");
        var shift = norm.bias is { } bias ? graph.Constant(bias, "bias") : graph.Constant(zeros(norm.num_features), "bias");
        return graph.Node("BatchNormalization", [input, scale, shift, graph.Constant(mean, "running_mean"), graph.Constant(variance, "running_var")],
            new Dictionary<string, object> { ["epsilon"] = norm.eps });
    }

    private static string MaxPool(OnnxGraph graph, MaxPool2d pool, string input)
    {
        RefuseCeilMode(graph, pool.ceil_mode);
        var kernel = Pair(pool.kernel_size, 1);
        return graph.Node("MaxPool", [input], new Dictionary<string, object>
        {
            ["kernel_shape"] = kernel,
            ["strides"] = pool.stride is null ? kernel : Pair(pool.stride, 1),
            ["pads"] = SymmetricPads(pool.padding),
            ["dilations"] = Pair(pool.dilation, 1),
        });
    }

    private static string AveragePool(OnnxGraph graph, AvgPool2d pool, string input)
    {
        RefuseCeilMode(graph, pool.ceil_mode);
        if (pool.divisor_override is { } divisor)
            throw graph.Unsupported($"divides by {divisor} (divisor_override), which ONNX's AveragePool cannot; only the window's own count (no override) has an ONNX form here");
        var kernel = Pair(pool.kernel_size, 1);
        return graph.Node("AveragePool", [input], new Dictionary<string, object>
        {
            ["kernel_shape"] = kernel,
            ["strides"] = pool.stride is null ? kernel : Pair(pool.stride, 1),
            ["pads"] = SymmetricPads(pool.padding),
            ["count_include_pad"] = pool.count_include_pad ? 1L : 0L,
        });
    }

    // Opset 17's runtimes place and divide the extra windows of ceil mode otherwise than PyTorch (ONNX Runtime follows
    // PyTorch from opset 19 on): refused rather than exported to give other numbers.
    private static void RefuseCeilMode(OnnxGraph graph, bool ceilMode)
    {
        if (ceilMode)
            throw graph.Unsupported($"rounds its output size up (ceil_mode: true), whose edge windows ONNX opset {OnnxExport.Opset} runtimes do not compute as PyTorch does; only ceil_mode: false has an ONNX form here");
    }

    // TorchSharp keeps a size given once ([k]) as one value, which libtorch applies to both axes; ONNX wants both.
    private static long[] Pair(long[]? values, long absent) => values switch
    {
        null or [] => [absent, absent],
        [var both] => [both, both],
        _ => values,
    };

    // ONNX's pads: the starts of both spatial axes, then their ends.
    private static long[] SymmetricPads(long[]? padding)
    {
        var both = Pair(padding, 0);
        return [both[0], both[1], both[0], both[1]];
    }
}
