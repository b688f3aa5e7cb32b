using NfmGen.Mixing;
namespace NfmGen.Training;

/// <summary>
/// The defaults a paper's experiments on one dataset use where they differ from the library's (CIFAR's): the network,
/// the training options, and the noise levels of the noisy schemes. <see cref="SchemeCatalog.Recipes"/> lists them.
/// </summary>
/// <param name="Dataset">The dataset name that takes the recipe, e.g. <c>imagenet</c>.</param>
/// <param name="Model">The zoo network's name.</param>
/// <param name="Options">The training options an unspecified option takes.</param>
/// <param name="AdditiveNoise">The additive noise level of a noisy scheme's preset.</param>
/// <param name="MultiplicativeNoise">The multiplicative noise level of a noisy scheme's preset.</param>
internal sealed record DatasetRecipe(string Dataset, string Model, TrainingOptions Options, double AdditiveNoise, double MultiplicativeNoise)
{
    /// <summary>
    /// The paper's ImageNet recipe (Table 3), as erichson/NFM's <c>train_imagenet.py</c> sets it: ResNet-50 (its mix
    /// points 0-3 are the reference's k in range(4)), batch 256 (<c>--batch_size</c>), weight decay 1e-4 (<c>--wd</c>),
    /// noise levels 0.1 and 0.1 for the noisy schemes. The rest agrees with the defaults: SGD with learning rate 0.1 and
    /// momentum 0.9, 200 epochs with decays by 0.1 at epochs 100, 150 and 180.
    /// </summary>
    public static DatasetRecipe ImageNet { get; } = new("imagenet", "resnet50", new TrainingOptions { BatchSize = 256, WeightDecay = 1e-4 }, 0.1, 0.1);

    /// <summary>
    /// <paramref name="preset"/> as this recipe trains it: a noisy NFM preset takes the recipe's noise levels, under
    /// its own name (so that they do not show as changes of the preset); other schemes are as they are, NoisyMix too
    /// (its levels are its own recipe's, not the NFM paper's).
    /// </summary>
    public TrainingScheme Adapt(TrainingScheme preset)
    {
        ArgumentNullException.ThrowIfNull(preset);
        return preset.Method is NfmMethod { Options: var noisy } && (noisy.AdditiveNoise > 0 || noisy.MultiplicativeNoise > 0) && preset.AugMix is null
            ? preset with { Method = new NfmMethod(noisy with { AdditiveNoise = AdditiveNoise, MultiplicativeNoise = MultiplicativeNoise }) }
            : preset;
    }
}
