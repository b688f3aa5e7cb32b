using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace NfmGen.Tests.Interop;

/// <summary>An ONNX file opened in ONNX Runtime, as a user deploying it opens it.</summary>
internal sealed class OnnxRuntimeModel(string path) : IDisposable
{
    private readonly InferenceSession session = new(path);

    public ModelMetadata Metadata => session.ModelMetadata;

    public IReadOnlyDictionary<string, NodeMetadata> Inputs => session.InputMetadata;

    public IReadOnlyDictionary<string, NodeMetadata> Outputs => session.OutputMetadata;

    /// <summary>The model's one output for <paramref name="input"/> (float32, on the CPU), as a tensor of its shape.</summary>
    public Tensor Run(Tensor input)
    {
        var values = input.contiguous().data<float>().ToArray();
        var dimensions = input.shape.Select(side => (int)side).ToArray();
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(session.InputMetadata.Keys.Single(), new DenseTensor<float>(values, dimensions))]);
        var output = results.Single().AsTensor<float>();
        return tensor(output.ToArray(), output.Dimensions.ToArray().Select(side => (long)side).ToArray());
    }

    public void Dispose() => session.Dispose();
}
