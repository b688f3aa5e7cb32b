using static TorchSharp.torch;

namespace NfmGen.Models;

/// <summary>The shape of the data a zoo model is built for, and its size.</summary>
/// <param name="Classes">Number of output classes.</param>
/// <param name="InChannels">Channels of the input images (or features of a point or table row for the vector models).</param>
/// <param name="ImageSize">Side of the square input images (ignored by models that do not need it).</param>
/// <param name="Width">The model's width (channels of its first stage, or hidden units); null for the model's default.</param>
public sealed record ModelShape(int Classes, int InChannels, int ImageSize, int? Width = null);

/// <summary>One model of the zoo: its name on the command line, what it is for, its mix points and how to build it.</summary>
/// <param name="Name">The model's command-line name.</param>
/// <param name="Summary">What the model is and what the paper used it for.</param>
/// <param name="Network">The generated metadata: layers and mix points.</param>
/// <param name="DefaultWidth">The width when <see cref="ModelShape.Width"/> is null.</param>
/// <param name="Create">Builds the model for a data shape (the caller disposes its <see cref="INfmNetwork.Module"/>).</param>
public sealed record ZooModel(string Name, string Summary, NfmNetworkInfo Network, int DefaultWidth, Func<ModelShape, INfmNetwork> Create);

/// <summary>The models of the NFM paper and small ones for quick runs, declared with the DSL.</summary>
public static class ModelZoo
{
    /// <summary>Every zoo model.</summary>
    public static IReadOnlyList<ZooModel> All { get; } =
    [
        new("preactresnet18", "Pre-activation ResNet-18 as the paper's code defines it (its CIFAR-10 model)", PreActResNet18.NetworkInfo, 64,
            shape => new PreActResNet18(shape.Classes, shape.InChannels, shape.Width ?? 64)),
        new("preact-wide-resnet18", "PreActResNet-18 at twice the width (the paper's CIFAR-100 PreActWideResNet-18)", PreActResNet18.NetworkInfo, 128,
            shape => new PreActResNet18(shape.Classes, shape.InChannels, shape.Width ?? 128)),
        new("wide-resnet28-10", "Wide-ResNet-28-10 with dropout 0.3 (the reference code's CIFAR model); the width is the widen factor k", WideResNet.NetworkInfo, 10,
            shape => new WideResNet(shape.Classes, shape.InChannels, widenFactor: shape.Width ?? 10)),
        new("resnet50", "ResNet-50 in torchvision's layout (the paper's ImageNet model)", ResNet50.NetworkInfo, 64,
            shape => new ResNet50(shape.Classes, shape.InChannels, shape.Width ?? 64)),
        new("small-convnet", "Two conv blocks and an MLP head, for 28x28 grey images", SmallConvNet.NetworkInfo, 32,
            shape => new SmallConvNet(shape.Classes, shape.InChannels, shape.Width ?? 32, shape.ImageSize)),
        new("toy-mlp", "A two-hidden-layer MLP for 2-D points (the paper's toy experiment)", ToyMlp.NetworkInfo, 64,
            shape => new ToyMlp(shape.InChannels, shape.Width ?? 64, shape.Classes)),
        new("tabular-mlp", "The MLP of Gorishniy et al. 2021 for table rows: three Linear-ReLU-Dropout(0.1) blocks; the width is their units", TabularMlp.NetworkInfo, 256,
            shape => new TabularMlp(shape.InChannels, shape.Width ?? 256, shape.Classes)),
        new("tabular-resnet", "The ResNet of Gorishniy et al. 2021 for table rows: three residual blocks (BatchNorm, hidden dropout 0.2); the width is theirs", TabularResNet.NetworkInfo, 128,
            shape => new TabularResNet(shape.InChannels, shape.Width ?? 128, shape.Classes)),
    ];

    /// <summary>The names <see cref="Find"/> accepts.</summary>
    public static IReadOnlyList<string> Names => All.Select(model => model.Name).ToList();

    /// <summary>The model called <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">No zoo model has that name; the message lists the names.</exception>
    public static ZooModel Find(string name) =>
        All.FirstOrDefault(model => model.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown model '{name}' (accepted: {string.Join(", ", Names)})", nameof(name));
}
