namespace NfmGen.Tests.Mixing;

/// <summary>Hand-made network metadata, so that the mixer is tested without the source generator.</summary>
internal static class TestNetworks
{
    /// <summary>Like the paper's PreActResNet18: the input and three mixable stages.</summary>
    public static NfmNetworkInfo PreActResNet18 { get; } = Network("PreActResNet18", mixInput: true, "layer1", "layer2", "layer3");

    /// <summary>A network whose input is not eligible.</summary>
    public static NfmNetworkInfo NoInputMixing { get; } = Network("TokenNet", mixInput: false, "block1", "block2");

    public static NfmNetworkInfo Network(string name, bool mixInput, params string[] mixableLayers)
    {
        var layers = mixableLayers.Select((layer, i) => new LayerInfo(layer, LayerKind.Module, i + 1))
            .Append(new LayerInfo("head", LayerKind.Module, -1))
            .ToArray();
        return new NfmNetworkInfo(name, layers, mixableLayers.Prepend("input").ToArray(), mixInput);
    }
}
