using NfmGen.Reports;
using NfmGen.Robustness;

namespace NfmGen.Tests.Robustness;

/// <summary>The CLI's perturbation syntax: every form read as meant, and every mistake named with the accepted forms.</summary>
public sealed class PerturbationSpecParserTests
{
    [Fact]
    public void Noise_specs_read_their_kind_variant_and_levels()
    {
        Assert.Equal(PerturbationSpec.WhiteNoise([0.1, 0.2, 0.3]), PerturbationSpecParser.Parse("white:0.1,0.2,0.3"));
        Assert.Equal(PerturbationSpec.WhiteNoise([0.1], NoiseVariant.Reference), PerturbationSpecParser.Parse("white-ref:0.1"));
        Assert.Equal(PerturbationSpec.SaltAndPepper([0.02, 0.04, 0.1]), PerturbationSpecParser.Parse("sp:0.02,0.04,0.1"));
        Assert.Equal(PerturbationSpec.SaltAndPepper([0.02], NoiseVariant.Reference), PerturbationSpecParser.Parse(" SP-REF : 0.02 "));
    }

    [Fact]
    public void Budgets_may_be_fractions()
    {
        var fgsm = PerturbationSpecParser.Parse("fgsm:8/255");
        var pgd = PerturbationSpecParser.Parse("pgd:2/255,8/255");

        Assert.Equal(PerturbationKind.Fgsm, fgsm.Kind);
        Assert.Equal([8.0 / 255], fgsm.Levels);
        Assert.Equal([2.0 / 255, 8.0 / 255], pgd.Levels);
        Assert.Equal(PgdOptions.Default, pgd.PgdOptions);
    }

    [Fact]
    public void Pgd_options_set_steps_step_size_and_start()
    {
        var spec = PerturbationSpecParser.Parse("pgd:8/255:steps=20:step=0.5/255:start=zero");

        Assert.Equal(new PgdOptions(steps: 20, stepSize: 0.5 / 255, randomStart: false), spec.PgdOptions);
        Assert.Equal(2.5 * (8.0 / 255) / 7, PerturbationSpecParser.Parse("pgd:8/255:steps=7").PgdOptions!.StepSizeFor(8.0 / 255));
    }

    [Theory]
    [InlineData("white:0.1,0.2")]
    [InlineData("sp-ref:0.02")]
    [InlineData("fgsm:8/255,0.03")]
    [InlineData("pgd:2/255,8/255:steps=20:step=1/255:start=zero")]
    [InlineData("pgd:8/255:steps=10:start=random")]
    [InlineData("autoattack:1/255,8/255:version=fast")]
    [InlineData("autoattack:8/255:version=standard")]
    [InlineData("autoattack-l2:0.1,0.5:version=fast")]
    public void The_text_form_reads_back_as_the_same_spec(string text)
    {
        var spec = PerturbationSpecParser.Parse(text);

        Assert.Equal(text, spec.ToString());
        Assert.Equal(spec, PerturbationSpecParser.Parse(spec.ToString()));
    }

    [Theory]
    [InlineData("", "the kind is missing")]
    [InlineData("gauss:0.1", "unknown kind \"gauss\" (accepted: white, white-ref, sp, sp-ref, fgsm, pgd, autoattack, autoattack-l2, feature-drop)")]
    [InlineData("white", "no levels after \"white:\"")]
    [InlineData("white:", "no levels")]
    [InlineData("white:0.1,,0.2", "level \"\" is not a number")]
    [InlineData("white:abc", "level \"abc\" is not a number or a fraction such as 0.1 or 8/255")]
    [InlineData("fgsm:8/0", "level \"8/0\" is not a number")]
    [InlineData("white:NaN", "level \"NaN\" is not a number")]
    [InlineData("white:-0.1", "sigma (white-noise standard deviation) must be >= 0 and finite (was -0.1)")]
    [InlineData("sp:1.5", "gamma (salt-and-pepper density) must be in [0, 1] (was 1.5)")]
    [InlineData("pgd:300/255", "epsilon (L∞ budget in pixel units) must be in [0, 1]")]
    [InlineData("white:0.1,0.1", "level \"0.1\" appears twice")]
    [InlineData("fgsm:8/255:steps=3", "options (\"steps=3\") apply to pgd and autoattack only")]
    [InlineData("autoattack:300/255", "epsilon (L∞ budget in pixel units) must be in [0, 1]")]
    [InlineData("autoattack-l2:-1", "epsilon (L2 budget in pixel units) must be >= 0 and finite, e.g. 0.5 (was -1)")]
    [InlineData("autoattack:8/255:version=plus", "version \"plus\" is not an AutoAttack version (accepted: standard, fast)")]
    [InlineData("autoattack:8/255:version=fast:version=standard", "option \"version\" is given twice")]
    [InlineData("autoattack:8/255:steps=3", "option \"steps=3\" is not one of autoattack's (accepted: version=standard|fast)")]
    [InlineData("pgd:8/255:steps=0", "steps \"0\" must be a whole number >= 1")]
    [InlineData("pgd:8/255:steps=2.5", "steps \"2.5\" must be a whole number >= 1")]
    [InlineData("pgd:8/255:step=0", "step \"0\" must be > 0")]
    [InlineData("pgd:8/255:start=middle", "start \"middle\" must be random or zero")]
    [InlineData("pgd:8/255:restarts=3", "unknown option \"restarts\"")]
    [InlineData("pgd:8/255:steps", "option \"steps\" is not key=value")]
    [InlineData("pgd:8/255:steps=5:steps=6", "option \"steps\" is given twice")]
    public void A_bad_spec_is_quoted_with_the_problem_and_the_accepted_forms(string text, string problem)
    {
        var error = Assert.Throws<FormatException>(() => PerturbationSpecParser.Parse(text));

        Assert.StartsWith($"perturbation \"{text}\": ", error.Message);
        Assert.Contains(problem, error.Message);
        Assert.Contains(PerturbationSpecParser.Syntax, error.Message);
    }

    [Fact]
    public void Several_specs_are_read_in_order()
    {
        var specs = PerturbationSpecParser.ParseAll(["white:0.1", "sp:0.02", "pgd:8/255"]);

        Assert.Equal([PerturbationKind.WhiteNoise, PerturbationKind.SaltAndPepper, PerturbationKind.Pgd], specs.Select(s => s.Kind));
    }

    [Fact]
    public void Two_specs_with_a_result_in_the_same_column_are_rejected()
    {
        var error = Assert.Throws<FormatException>(() => PerturbationSpecParser.ParseAll(["white:0.1,0.2", "white-ref:0.2"]));

        Assert.Contains("\"white:0.1,0.2\" and \"white-ref:0.2\" both give the report column \"σ 0.2\"", error.Message);
    }

    [Fact]
    public void The_spec_constructor_rejects_what_the_parser_cannot_write()
    {
        Assert.Throws<ArgumentException>(() => new PerturbationSpec(PerturbationKind.CifarCorruption, [1]));
        Assert.Throws<ArgumentException>(() => new PerturbationSpec(PerturbationKind.Fgsm, [0.1], NoiseVariant.Reference));
        Assert.Throws<ArgumentException>(() => new PerturbationSpec(PerturbationKind.WhiteNoise, [0.1], pgdOptions: PgdOptions.Default));
        Assert.Throws<ArgumentException>(() => new PerturbationSpec(PerturbationKind.WhiteNoise, []));
    }
}
