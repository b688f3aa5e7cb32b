namespace NfmGen.Interop;

/// <summary>
/// A module that says what it computes as ONNX nodes, so that <see cref="OnnxExport"/> can write networks built from
/// it. Implement it on a block whose <c>forward</c> is your own code (a residual block, say), mirroring that
/// <c>forward</c> statement by statement; layers <see cref="OnnxExport.KnownLayers"/> lists need nothing.
/// <code>
/// public string AddTo(OnnxGraph graph, string input)
/// {
///     var output = graph.Layer(conv2, graph.Node("Relu", [graph.Layer(conv1, input)]));
///     return graph.Node("Add", [output, input]);
/// }
/// </code>
/// </summary>
public interface IOnnxLayer
{
    /// <summary>Adds the nodes that compute this module's inference-mode output from the value <paramref name="input"/>, and returns the output's name.</summary>
    string AddTo(OnnxGraph graph, string input);
}
