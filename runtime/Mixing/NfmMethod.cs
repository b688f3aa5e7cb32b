
namespace NfmGen.Mixing;

/// <summary>
/// The NFM family: mixing and noise at the network's mix points, as <see cref="Options"/> say; <see cref="NfmPresets"/>
/// holds the family's recipes. Its mixer is <see cref="NoisyFeatureMixer"/>, its steps <see cref="NfmStep"/>.
/// </summary>
/// <param name="Options">The NFM settings.</param>
public sealed record NfmMethod(NfmOptions Options) : MixingMethod
{
    /// <inheritdoc />
    public override void Validate(NfmNetworkInfo? network = null)
    {
        if (Options is null)
            throw new ArgumentException($"{nameof(NfmMethod)}.{nameof(Options)} must be set (was null)", nameof(Options));
        Options.Validate();
        if (network is not null)
            Options.MixPoints.Resolve(network);
    }

    /// <inheritdoc />
    internal override IBatchMixer CreateMixer(MixerContext context) => new NoisyFeatureMixer(Options, context.Info, context.Seed, context.Device, context.Views);
}
