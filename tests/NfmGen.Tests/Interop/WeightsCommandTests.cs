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
    public void ImportWritesNothingIntoAFolderAnotherProcessHoldsOrThatHoldsARun()
    {
        var weights = folder.File("from-pytorch.pt");
        using (var network = new ToyMlp())
            PyTorchWeights.Export(network, weights);
        string[] import = ["import", "--weights", weights, "--model", "toy-mlp", "--dataset", "moons", "--run", "imported"];

        using (new NfmGen.Training.RunFolder(folder.File("imported")).Lock())
        {
            var held = NfmProcess.Run(folder.Path, import);
            Assert.True(held.ExitCode == 1, held.ToString());
            Assert.Contains("is in use by another process", held.Error);
            Assert.Equal([NfmGen.Training.RunFolder.LockFileName], Directory.GetFiles(folder.File("imported")).Select(Path.GetFileName));
        }

        Assert.Equal(0, NfmProcess.Run(folder.Path, import).ExitCode);
        var again = NfmProcess.Run(folder.Path, import);
        Assert.True(again.ExitCode == 1, again.ToString());
        Assert.Contains("already holds a run", again.Error);
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

    [Fact]
    public void WeightsImportWithTheShapeAloneWithoutADataset()
    {
        // Like a 1000-class ImageNet model, for which no dataset is at hand: 7 classes of 3 inputs, no such dataset.
        var original = folder.File("seven.pt");
        using (var network = new ToyMlp(inputs: 3, numClasses: 7))
            PyTorchWeights.Export(network, original);

        var import = NfmProcess.Run(folder.Path, "import", "--weights", original, "--model", "toy-mlp", "--classes", "7", "--channels", "3", "--run", "seven");
        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Contains("nfm eval --run seven --dataset", import.Output);

        // Into a folder that does not exist yet: --out creates it.
        var export = NfmProcess.Run(folder.Path, "export", "--run", "seven", "--out", "new/folder/back.pt");
        Assert.True(export.ExitCode == 0, export.ToString());
        var actual = PyTorchWeights.Read(folder.File("new/folder/back.pt"));
        Assert.Equal([7, 64], actual["output.weight"].shape);

        var eval = NfmProcess.Run(folder.Path, "eval", "--run", "seven");
        Assert.True(eval.ExitCode != 0, eval.ToString());
        Assert.Contains("the run names no dataset", eval.Error);
    }

    [Theory]
    [InlineData("--dataset moons contradicts --classes 3 (it has 2) and --channels 5 (it has 2)", "--dataset", "moons", "--classes", "3", "--channels", "5")]
    [InlineData("give --dataset (cifar10, ", "--classes", "3")]
    [InlineData("--classes must be at least 2 (was 1)", "--classes", "1", "--channels", "2")]
    public void ImportRefusesAMissingOrContradictoryShape(string message, params string[] shape)
    {
        var original = folder.File("toy.pt");
        using (var network = new ToyMlp())
            PyTorchWeights.Export(network, original);

        var result = NfmProcess.Run(folder.Path, ["import", "--weights", original, "--model", "toy-mlp", "--run", "r", .. shape]);

        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains(message, result.Error);
        Assert.False(Directory.Exists(folder.File("r")), "a failed import left a run folder");
    }

    [Theory]
    [InlineData("no-run has no nfm.json", "export", "--run", "no-run", "--out", "model.pt")]
    [InlineData("no weights file at", "import", "--weights", "missing.pt", "--model", "toy-mlp", "--dataset", "moons", "--run", "r")]
    [InlineData("error: --data is required for cifar10: the folder that holds its files as their publisher ships them\n",
        "import", "--weights", "model.pt", "--model", "toy-mlp", "--dataset", "cifar10", "--run", "r")]
    public void BadArgumentsFailWithAMessageThatNamesThem(string message, params string[] arguments)
    {
        var result = NfmProcess.Run(folder.Path, arguments);

        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains(message, result.Error.ReplaceLineEndings("\n"));
        // Messages are for users: no parameter name of the code, no doubled final period.
        Assert.DoesNotContain("(Parameter '", result.Error);
        Assert.DoesNotContain("..\n", result.Error.ReplaceLineEndings("\n"));
    }
}
