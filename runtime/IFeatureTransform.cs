using static TorchSharp.torch;

namespace NfmGen;

/// <summary>A transform of the features at a mix point, such as the NFM mix-and-perturb step.</summary>
public interface IFeatureTransform
{
    /// <summary>Transforms the batch of features <paramref name="features"/> (batch first).</summary>
    Tensor Apply(Tensor features);
}
