using NfmGen.Interop;
using NfmGen.Models;
using NfmGen.Tests.Zoo;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace NfmGen.Tests.Interop;

/// <summary>Weights move to and from PyTorch's files: round trips, files PyTorch wrote, and errors that name the problem.</summary>
public sealed class PyTorchWeightsTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    [Theory]
    [InlineData("weights.pt")]
    [InlineData("weights.bin")]
    [InlineData("weights.safetensors")]
    public void ExportThenImportIntoAFreshModelGivesIdenticalOutputs(string file)
    {
        using var scope = NewDisposeScope();
        var path = folder.File(file);
        var trained = Trained(new PreActResNet18(numClasses: 10, width: 4));
        PyTorchWeights.Export(trained, path);

        manual_seed(2);
        using var fresh = new PreActResNet18(numClasses: 10, width: 4);
        PyTorchWeights.Import(fresh, path);

        var expected = trained.state_dict();
        foreach (var (name, tensor) in fresh.state_dict())
            Assert.True(tensor.equal(expected[name]).all().item<bool>(), $"{name} differs after the round trip");
        trained.eval();
        fresh.eval();
        var input = randn(3, 3, 32, 32);
        Assert.True(fresh.call(input).equal(trained.call(input)).all().item<bool>());
    }

    [Theory]
    [InlineData("preactresnet18-width2.pt", "preactresnet18-width2.io.pt")]
    [InlineData("preactresnet18-width2.safetensors", "preactresnet18-width2.io.pt")]
    [InlineData("wide-resnet10-1.pt", "wide-resnet10-1.io.pt")]
    public void ImportsFilesThatPyTorchWroteAndComputesWhatPyTorchComputed(string weights, string io)
    {
        // Written by tools/reference_models.py export with Debian's PyTorch 1.13: a seeded model of the definitions
        // transcribed from erichson/NFM, whose batch norms saw a few batches, and one eval-mode forward pass of it.
        using var scope = NewDisposeScope();
        using var network = weights.StartsWith("wide", StringComparison.Ordinal)
            ? (nn.Module<Tensor, Tensor>)new WideResNet(numClasses: 10, widenFactor: 1, depth: 10)
            : new PreActResNet18(numClasses: 10, width: 2);
        PyTorchWeights.Import(network, PyTorchFile(weights));
        var pass = PyTorchWeights.Read(PyTorchFile(io));

        network.eval();
        var output = network.call(pass["input"]);
        Assert.True(output.allclose(pass["output"], rtol: 1e-4, atol: 1e-5), $"max |difference| {(output - pass["output"]).abs().max().item<float>()}");
        Assert.NotEqual(0, network.state_dict()["layer1.0.bn1.num_batches_tracked"].item<long>());
    }

    [Fact]
    public void ExportListsTheEntriesInPyTorchsOrder()
    {
        using var scope = NewDisposeScope();
        var path = folder.File("ordered.safetensors");
        using (var network = new PreActResNet18(width: 4))
            PyTorchWeights.Export(network, path);

        Assert.Equal(ReferenceStateDict.Load("preactresnet18").Entries.Select(entry => entry.Name), PyTorchWeights.Read(path).Keys);
    }

    [Fact]
    public void AnotherClassCountNamesTheKeyAndBothShapes()
    {
        var path = folder.File("ten-classes.pt");
        using (var ten = new PreActResNet18(numClasses: 10, width: 4))
            PyTorchWeights.Export(ten, path);
        using var hundred = new PreActResNet18(numClasses: 100, width: 4);

        var error = Assert.Throws<InvalidDataException>(() => PyTorchWeights.Import(hundred, path));

        Assert.Contains($"{path} does not fit PreActResNet18: 2 shape mismatches, file vs model (linear.weight [10,32] vs [100,32], linear.bias [10] vs [100])", error.Message);
    }

    [Fact]
    public void AnotherArchitectureListsMissingAndUnexpectedKeysAndLoadsNothing()
    {
        var path = folder.File("wide.safetensors");
        using (var wide = new WideResNet(widenFactor: 1, depth: 10))
            PyTorchWeights.Export(wide, path);
        using var network = new PreActResNet18(width: 4);
        var before = network.state_dict()["conv1.weight"].clone();

        var error = Assert.Throws<InvalidDataException>(() => PyTorchWeights.Import(network, path));

        Assert.Contains("61 missing keys (layer1.1.bn1.weight, layer1.1.bn1.bias, layer1.1.conv1.weight, layer1.1.bn2.weight, layer1.1.bn2.bias, and 56 more)", error.Message);
        Assert.Contains("14 unexpected keys (bn1.bias, bn1.num_batches_tracked, bn1.running_mean, bn1.running_var, bn1.weight, and 9 more)", error.Message);
        Assert.Contains("34 shape mismatches, file vs model (conv1.weight [16,3,3,3] vs [4,3,3,3], ", error.Message);
        Assert.True(network.state_dict()["conv1.weight"].equal(before).all().item<bool>(), "a failed import changed the weights");
    }

    [Fact]
    public void AcceptsTheModulePrefixOfDataParallelStateDicts()
    {
        using var scope = NewDisposeScope();
        var path = folder.File("data-parallel.pt");
        using var source = new ToyMlp();
        PyTorchPickler.PickleStateDict(path, source.state_dict().ToDictionary(entry => "module." + entry.Key, entry => entry.Value));
        using var network = new ToyMlp();

        PyTorchWeights.Import(network, path);

        Assert.True(network.state_dict()["output.weight"].equal(source.state_dict()["output.weight"]).all().item<bool>());
    }

    [Fact]
    public void UnknownExtensionsAndBrokenFilesAreNamed()
    {
        using var network = new ToyMlp();
        var garbage = folder.File("garbage.pt");
        File.WriteAllText(garbage, "not a zip file");

        var extension = Assert.Throws<ArgumentException>(() => PyTorchWeights.Export(network, folder.File("weights.onnx")));
        Assert.Contains("weights.onnx", extension.Message);
        Assert.Contains("accepted: .pt, .pth or .bin for a torch.save pickle, .safetensors", extension.Message);
        var broken = Assert.Throws<InvalidDataException>(() => PyTorchWeights.Import(network, garbage));
        Assert.Contains($"{garbage} is not a state dict saved with torch.save(model.state_dict(), path)", broken.Message);
        Assert.Throws<FileNotFoundException>(() => PyTorchWeights.Import(network, folder.File("missing.safetensors")));
    }

    private static T Trained<T>(T network) where T : nn.Module<Tensor, Tensor>
    {
        // Training-mode passes move the batch-norm statistics away from their initial values, so the round trip
        // checks buffers as well as parameters.
        network.train();
        using (no_grad())
        {
            for (var i = 0; i < 2; i++)
                network.call(randn(4, 3, 32, 32));
        }
        return network;
    }

    private static string PyTorchFile(string name) => Path.Combine(RepositoryPaths.Root, "tests", "NfmGen.Tests", "Interop", "PyTorchFiles", name);
}
