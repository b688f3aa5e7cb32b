using NfmGen.Mixing;
using static TorchSharp.torch;

namespace NfmGen.Tests.Mixing;

public class NfmOptionsTests
{
    public static TheoryData<NfmOptions, string, string> InvalidOptions => new()
    {
        { new() { Alpha = -1 }, "Alpha", "(was -1)" },
        { new() { Alpha = double.NaN }, "Alpha", "(was NaN)" },
        { new() { Alpha = double.PositiveInfinity }, "Alpha", "(was Infinity)" },
        { new() { Alpha = 1, Beta = 0 }, "Beta", "(was 0)" },
        { new() { Alpha = 1, Beta = -0.5 }, "Beta", "(was -0.5)" },
        { new() { Alpha = 1, Beta = double.NaN }, "Beta", "(was NaN)" },
        { new() { AdditiveNoise = -0.1 }, "AdditiveNoise", "(was -0.1)" },
        { new() { AdditiveNoise = double.NaN }, "AdditiveNoise", "(was NaN)" },
        { new() { MultiplicativeNoise = -2 }, "MultiplicativeNoise", "(was -2)" },
        { new() { MultiplicativeNoise = double.NegativeInfinity }, "MultiplicativeNoise", "(was -Infinity)" },
        { new() { MixPoints = null! }, "MixPoints", "(was null)" },
        { new() { NoiseScale = (NoiseScaleRule)7 }, "NoiseScale", "(was 7)" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Validate_names_the_option_its_value_and_the_range(NfmOptions options, string name, string value)
    {
        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.StartsWith($"{name} must be ", error.Message);
        Assert.Contains(value, error.Message);
        Assert.Equal(name, error.ParamName);
    }

    [Fact]
    public void The_range_is_in_the_message()
    {
        var error = Assert.Throws<ArgumentException>(new NfmOptions { Alpha = -1 }.Validate);
        Assert.StartsWith("Alpha must be a finite number >= 0 (was -1)", error.Message);
    }

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void The_mixer_validates_its_options(NfmOptions options, string name, string value)
    {
        var error = Assert.Throws<ArgumentException>(() => new NoisyFeatureMixer(options, TestNetworks.PreActResNet18, 0, CPU));
        Assert.Equal(name, error.ParamName);
        Assert.Contains(value, error.Message);
    }

    [Fact]
    public void The_mixer_checks_the_mix_points_against_the_network()
    {
        var options = NfmPresets.Nfm() with { MixPoints = MixPointSelection.Only(5) };
        var error = Assert.Throws<ArgumentException>(() => new NoisyFeatureMixer(options, TestNetworks.PreActResNet18, 0, CPU));
        Assert.Contains("mix point 5 is not a mix point of PreActResNet18", error.Message);
    }

    [Fact]
    public void The_defaults_are_plain_training()
    {
        var options = new NfmOptions();
        Assert.Equal(NfmPresets.Erm, options);
        Assert.Equal(0, options.Alpha);
        Assert.Null(options.Beta);
        Assert.Equal(MixPointSelection.All, options.MixPoints);
        Assert.Equal(NoiseScaleRule.Reference, options.NoiseScale);
    }

    [Fact]
    public void The_presets_are_the_recipes_of_the_paper()
    {
        var all = MixPointSelection.All;
        var input = MixPointSelection.InputOnly;
        Assert.Equal(new NfmOptions { AdditiveNoise = 0.4, MultiplicativeNoise = 0.2, MixPoints = input }, NfmPresets.NoiseInjection());
        Assert.Equal(new NfmOptions { Alpha = 1, MixPoints = input }, NfmPresets.InputMixup());
        Assert.Equal(new NfmOptions { Alpha = 1, MixPoints = all }, NfmPresets.ManifoldMixup());
        Assert.Equal(new NfmOptions { Alpha = 1, AdditiveNoise = 0.4, MultiplicativeNoise = 0.2, MixPoints = input }, NfmPresets.NoisyMixup());
        Assert.Equal(new NfmOptions { Alpha = 1, AdditiveNoise = 0.4, MultiplicativeNoise = 0.2, MixPoints = all }, NfmPresets.Nfm());
        Assert.Equal(new NfmOptions { Alpha = 2, AdditiveNoise = 0.1, MultiplicativeNoise = 0.3 }, NfmPresets.Nfm(2, 0.1, 0.3));
        foreach (var preset in new[] { NfmPresets.Erm, NfmPresets.NoiseInjection(), NfmPresets.InputMixup(), NfmPresets.ManifoldMixup(), NfmPresets.NoisyMixup(), NfmPresets.Nfm() })
            preset.Validate();
    }
}
