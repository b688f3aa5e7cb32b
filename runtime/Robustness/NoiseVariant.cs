namespace NfmGen.Robustness;

/// <summary>Which definition of a random-noise perturbation to apply: the standard one, or the NFM reference code's.</summary>
internal enum NoiseVariant
{
    /// <summary>
    /// The usual definition, on pixels in [0, 1] before normalisation: white noise is added and the result clipped to
    /// [0, 1]; salt and pepper sets all channels of the chosen pixels to 1 or 0.
    /// </summary>
    Standard,

    /// <summary>
    /// As erichson/NFM's <c>evaluate.py</c> (the code behind the paper's Tables 1-2), on the normalised network inputs:
    /// white noise added after normalisation without clipping; salt and pepper on the first channel only. Use it to
    /// reproduce the paper's numbers.
    /// </summary>
    Reference,
}
