using NfmGen.Protobuf;

namespace NfmGen.Interop;

/// <summary>
/// Writes an ONNX <c>ModelProto</c> (onnx/onnx.proto, IR version <see cref="IrVersion"/>): the graph's nodes,
/// initializers, one input with a symbolic batch axis, one output, and string metadata.
/// </summary>
internal static class OnnxModelFile
{
    /// <summary>The IR version written: ONNX 1.12's, which opset <see cref="OnnxExport.Opset"/> needs and every current runtime reads.</summary>
    public const long IrVersion = 8;

    /// <summary>The name of the symbolic batch axis of the input and output.</summary>
    public const string BatchAxis = "batch";

    // Field numbers of onnx.proto's messages.
    private const int ModelIrVersion = 1, ModelProducerName = 2, ModelProducerVersion = 3, ModelDocString = 6, ModelGraph = 7, ModelOpsetImport = 8, ModelMetadata = 14;
    private const int OpsetDomain = 1, OpsetVersion = 2;
    private const int EntryKey = 1, EntryValue = 2;
    private const int GraphNode = 1, GraphName = 2, GraphInitializer = 5, GraphInput = 11, GraphOutput = 12;
    private const int NodeInput = 1, NodeOutput = 2, NodeName = 3, NodeOpType = 4, NodeAttribute = 5;
    private const int AttributeName = 1, AttributeFloat = 2, AttributeInt = 3, AttributeString = 4, AttributeFloats = 7, AttributeInts = 8, AttributeType = 20;
    private const int AttributeTypeFloat = 1, AttributeTypeInt = 2, AttributeTypeString = 3, AttributeTypeFloats = 6, AttributeTypeInts = 7;
    private const int TensorDims = 1, TensorDataType = 2, TensorName = 8, TensorRawData = 9;
    private const int ValueName = 1, ValueType = 2, TypeTensor = 1, TensorElementType = 1, TensorShape = 2, ShapeDim = 1, DimValue = 1, DimParam = 2;

    /// <summary>The model as bytes.</summary>
    /// <param name="graph">The nodes and initializers.</param>
    /// <param name="name">The graph's name.</param>
    /// <param name="input">The input's name and its shape per sample (the batch axis comes first).</param>
    /// <param name="output">The output's name and its shape per sample.</param>
    /// <param name="docString">What the model is, for people.</param>
    /// <param name="metadata">String metadata (<c>metadata_props</c>).</param>
    public static ProtoWriter Write(OnnxGraph graph, string name, (string Name, long[] Shape) input, (string Name, long[] Shape) output,
        string docString, IReadOnlyList<KeyValuePair<string, string>> metadata)
    {
        var model = new ProtoWriter()
            .Int(ModelIrVersion, IrVersion)
            .String(ModelProducerName, "NfmGen")
            .String(ModelProducerVersion, typeof(OnnxModelFile).Assembly.GetName().Version?.ToString() ?? "")
            .String(ModelDocString, docString)
            .Message(ModelGraph, message => Graph(message, graph, name, input, output))
            .Message(ModelOpsetImport, opset => opset.String(OpsetDomain, "").Int(OpsetVersion, OnnxExport.Opset));
        foreach (var (key, value) in metadata)
            model.Message(ModelMetadata, entry => entry.String(EntryKey, key).String(EntryValue, value));
        return model;
    }

    private static void Graph(ProtoWriter message, OnnxGraph graph, string name, (string Name, long[] Shape) input, (string Name, long[] Shape) output)
    {
        foreach (var node in graph.Nodes)
            message.Message(GraphNode, writer => Node(writer, node));
        message.String(GraphName, name);
        foreach (var initializer in graph.Initializers)
            message.Message(GraphInitializer, writer => Tensor(writer, initializer));
        message.Message(GraphInput, writer => Value(writer, input.Name, input.Shape));
        message.Message(GraphOutput, writer => Value(writer, output.Name, output.Shape));
    }

    private static void Node(ProtoWriter message, OnnxNode node)
    {
        foreach (var input in node.Inputs)
            message.String(NodeInput, input);
        foreach (var output in node.Outputs)
            message.String(NodeOutput, output);
        message.String(NodeName, node.Name).String(NodeOpType, node.OpType);
        foreach (var attribute in node.Attributes)
            message.Message(NodeAttribute, writer => Attribute(writer, attribute));
    }

    private static void Attribute(ProtoWriter message, OnnxAttribute attribute)
    {
        message.String(AttributeName, attribute.Name);
        switch (attribute.Value)
        {
            case long number:
                message.Int(AttributeInt, number).Int(AttributeType, AttributeTypeInt);
                break;
            case float number:
                message.Float(AttributeFloat, number).Int(AttributeType, AttributeTypeFloat);
                break;
            case string text:
                message.String(AttributeString, text).Int(AttributeType, AttributeTypeString);
                break;
            case long[] numbers:
                foreach (var number in numbers)
                    message.Int(AttributeInts, number);
                message.Int(AttributeType, AttributeTypeInts);
                break;
            case float[] numbers:
                foreach (var number in numbers)
                    message.Float(AttributeFloats, number);
                message.Int(AttributeType, AttributeTypeFloats);
                break;
            default:
                throw new InvalidOperationException($"attribute {attribute.Name} holds a {attribute.Value.GetType().Name}, which OnnxAttribute.Of does not make");
        }
    }

    private static void Tensor(ProtoWriter message, OnnxInitializer tensor)
    {
        foreach (var dim in tensor.Shape)
            message.Int(TensorDims, dim);
        message.Int(TensorDataType, tensor.DataType).String(TensorName, tensor.Name).Bytes(TensorRawData, tensor.Data);
    }

    // A float tensor value whose first axis is the symbolic batch.
    private static void Value(ProtoWriter message, string name, long[] sampleShape) =>
        message.String(ValueName, name).Message(ValueType, type => type.Message(TypeTensor, tensor =>
        {
            tensor.Int(TensorElementType, OnnxInitializer.Float);
            tensor.Message(TensorShape, shape =>
            {
                shape.Message(ShapeDim, dim => dim.String(DimParam, BatchAxis));
                foreach (var side in sampleShape)
                    shape.Message(ShapeDim, dim => dim.Int(DimValue, side));
            });
        }));
}
