using NfmGen.Interop;
using NfmGen.Models;
using NfmGen.Tests.Cli;

namespace NfmGen.Tests.Interop;

/// <summary><c>nfm import</c> and <c>nfm export</c>, run as a user runs them.</summary>
public sealed class WeightsCommandTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void ImportedWeightsExportUnchangedInTheOtherFormat()
    {
        var original = folder.File("from-pytorch.pt");
        using (var network = new ToyMlp())
            PyTorchWeights.Export(network, original);

        var import = NfmProcess.Run(folder.Path, "import", "--weights", original, "--model", "toy-mlp", "--dataset", "moons", "--run", "imported");
        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Contains("nfm eval --run imported", import.Output);
        using (var reloaded = new ToyMlp())
        {
            // The generator states the trainer restores on --resume: exactly the mixer's two.
            var (_, states) = NfmGen.Training.Checkpoint.Load(folder.File("imported/checkpoint.bin"), reloaded, null, "ToyMlp", 2, scheme: null);
            Assert.Equal(2, states.Count);
            foreach (var state in states)
                state.Dispose();
        }
        var export = NfmProcess.Run(folder.Path, "export", "--run", "imported", "--out", "back.safetensors");
        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.Contains("ToyMlp (toy-mlp, 4,482 parameters, 6 tensors), imported at epoch 0", export.Output);

        var expected = PyTorchWeights.Read(original);
        var actual = PyTorchWeights.Read(folder.File("back.safetensors"));
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, tensor) in expected)
            Assert.True(tensor.equal(actual[name]).all().item<bool>(), $"{name} changed on the way through the run folder");
    }

    [Fact]
    public void WeightsOfAnotherWidthFailWithTheKeyAndBothShapes()
    {
        var original = folder.File("wide.safetensors");
        using (var network = new ToyMlp(hidden: 64))
            PyTorchWeights.Export(network, original);

        var result = NfmProcess.Run(folder.Path, "import", "--weights", original, "--model", "toy-mlp", "--width", "8", "--dataset", "moons", "--run", "narrow");

        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains("does not fit ToyMlp: 5 shape mismatches, file vs model (hidden1.0.weight [64,2] vs [8,2]", result.Error);
        Assert.False(Directory.Exists(folder.File("narrow")), "a failed import left a run folder");
    }

    [Theory]
    [InlineData("cannot tell the format of 'model.onnx' from its extension", "export", "--run", "no-run", "--out", "model.onnx")]
    [InlineData("no-run has no nfm.json", "export", "--run", "no-run", "--out", "model.pt")]
    [InlineData("no weights file at", "import", "--weights", "missing.pt", "--model", "toy-mlp", "--dataset", "moons", "--run", "r")]
    public void BadArgumentsFailWithAMessageThatNamesThem(string message, params string[] arguments)
    {
        var result = NfmProcess.Run(folder.Path, arguments);

        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains(message, result.Error);
    }
}
