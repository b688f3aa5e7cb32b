namespace NfmGen.Cli.Data;

/// <summary>
/// The paper's ImageNet recipe (Table 3), as erichson/NFM's <c>train_imagenet.py</c> sets it: the defaults of
/// <c>nfm train --dataset imagenet</c> where they differ from the command line's CIFAR defaults. The rest already
/// agrees: ResNet-50 (its mix points 0-3 are the reference's k in range(4)), SGD with learning rate 0.1 and momentum
/// 0.9, 200 epochs with decays by 0.1 at epochs 100, 150 and 180.
/// </summary>
internal static class ImageNetRecipe
{
    /// <summary>The dataset name that takes this recipe.</summary>
    public const string Dataset = "imagenet";

    /// <summary>The network.</summary>
    public const string Model = "resnet50";

    /// <summary>The batch size (<c>--batch_size</c>).</summary>
    public const int BatchSize = 256;

    /// <summary>The weight decay (<c>--wd</c>).</summary>
    public const double WeightDecay = 1e-4;

    /// <summary>The additive noise level of the schemes with noise (<c>--add_noise_level</c>).</summary>
    public const double AdditiveNoise = 0.1;

    /// <summary>The multiplicative noise level of the schemes with noise (<c>--mult_noise_level</c>).</summary>
    public const double MultiplicativeNoise = 0.1;

    /// <summary>Whether <paramref name="dataset"/> takes this recipe.</summary>
    public static bool AppliesTo(string dataset) => dataset.Equals(Dataset, StringComparison.OrdinalIgnoreCase);
}
