using NfmGen.Models;
using NfmGen.Training;
using static TorchSharp.torch;

namespace NfmGen.Tests.Zoo;

/// <summary>
/// The zoo at the paper's sizes has exactly the parameter counts and state dicts (names and shapes, batch-norm buffers
/// included) of the paper's PyTorch code (erichson/NFM, as tools/reference_models.py transcribes it), so that weights move
/// between the two; <see cref="ZooGoldenLogitsTests"/> checks that they then compute the same.
/// </summary>
public sealed class ZooStateDictTests
{
    /// <summary>Reference list, zoo model, classes, image size and the parameter count the paper's definitions give.</summary>
    public static TheoryData<string, string, int, int, long> PaperModels => new()
    {
        { "preactresnet18", "preactresnet18", 10, 32, 11_171_146 },
        { "preactresnet18-cifar100", "preactresnet18", 100, 32, 11_217_316 },
        { "preact-wide-resnet18", "preact-wide-resnet18", 100, 32, 44_749_540 },
        { "wide-resnet28-10", "wide-resnet28-10", 10, 32, 36_489_290 },
        { "resnet50", "resnet50", 1000, 224, 25_557_032 },
    };

    [Theory]
    [MemberData(nameof(PaperModels))]
    public void StateDictAndParameterCountEqualTheReferenceDefinition(string reference, string model, int classes, int imageSize, long parameters)
    {
        var expected = ReferenceStateDict.Load(reference);
        using var network = ModelZoo.Find(model).Create(new ModelShape(classes, InChannels: 3, imageSize)).Module;

        Assert.Equal(parameters, expected.ParameterCount);
        Assert.Equal(parameters, Checkpoint.ParameterCount(network));
        var actual = network.state_dict().Select(entry => (entry.Key, ReferenceStateDict.Format(entry.Value.shape))).ToList();
        Assert.Equal(expected.Entries.Count, actual.Count);
        Assert.Equal(expected.Entries.Order(), actual.Order());
    }

    [Fact]
    public void TorchSharpListsEveryParameterBeforeEveryBufferEachInPyTorchsOrder()
    {
        // PyTorch lists each module's parameters and then its buffers, module by module; TorchSharp lists all
        // parameters, then all buffers. Names are what count when loading; PyTorchWeights.Export writes PyTorch's order.
        using var network = new PreActResNet18();
        var reference = ReferenceStateDict.Load("preactresnet18").Entries.Select(entry => entry.Name).ToList();

        Assert.Equal(reference.Where(name => !IsBuffer(name)).Concat(reference.Where(IsBuffer)), network.state_dict().Keys);
    }

    [Fact]
    public void WidthAndInputChannelsChangeSizesButNotStructureOrMixPoints()
    {
        using var scope = NewDisposeScope();
        using var narrow = new ResNet50(numClasses: 7, inChannels: 1, width: 8);
        // widenFactor 2: at 1 the first block keeps 16 channels and needs no shortcut projection, as in the reference code.
        using var wide = new WideResNet(numClasses: 7, inChannels: 1, widenFactor: 2, depth: 28, dropout: 0);

        Assert.Equal(ReferenceStateDict.Load("resnet50").Entries.Select(entry => entry.Name).Order(), narrow.state_dict().Keys.Order());
        Assert.Equal(ReferenceStateDict.Load("wide-resnet28-10").Entries.Select(entry => entry.Name).Order(), wide.state_dict().Keys.Order());
        narrow.eval();
        wide.eval();
        Assert.Equal([2L, 7], narrow.call(randn(2, 1, 32, 32)).shape);
        Assert.Equal([2L, 7], wide.call(randn(2, 1, 32, 32)).shape);
        Assert.Equal(["input", "layer1", "layer2", "layer3"], ResNet50.NetworkInfo.MixPoints);
        Assert.Equal(["input", "layer1", "layer2"], WideResNet.NetworkInfo.MixPoints);
    }

    [Theory]
    [InlineData(9, "depth must be 6n + 4")]
    [InlineData(30, "depth must be 6n + 4")]
    public void WideResNetRejectsDepthsThatAreNotSixNPlusFour(int depth, string message)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new WideResNet(depth: depth));

        Assert.Contains(message, error.Message);
        Assert.Contains($"was {depth}", error.Message);
    }

    [Fact]
    public void PreActBlockRejectsAnUnknownIdentityNamingTheAcceptedOnes()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new PreActBlock(4, 4, identity: (PreActIdentity)7));

        Assert.Contains("accepted: Activated, Raw", error.Message);
        Assert.Contains("was 7", error.Message);
    }

    private static bool IsBuffer(string name) =>
        name.EndsWith(".running_mean", StringComparison.Ordinal) || name.EndsWith(".running_var", StringComparison.Ordinal)
        || name.EndsWith(".num_batches_tracked", StringComparison.Ordinal);
}
