using System.Text.Json.Nodes;
using NfmGen.Mixing;
using NfmGen.Training;
using static TorchSharp.torch;

namespace NfmGen.Tests.Training;

/// <summary>A scheme is a name, a mixing method of a closed set and a label smoothing; run.json stores it readably.</summary>
public sealed class SchemeShapeTests : IDisposable
{
    private static readonly NfmNetworkInfo Network = new("Net", [], ["input", "layer1"], MixInput: true);

    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    public static TheoryData<string> PresetNames => [.. SchemeCatalog.Names];

    [Theory]
    [MemberData(nameof(PresetNames))]
    public void EveryPresetReadsBackFromRunJsonAsItWasWritten(string name)
    {
        var scheme = TrainingScheme.Parse(name) with { LabelSmoothing = 0.05 };

        var read = WriteAndRead(scheme);

        Assert.Equal(scheme, read.Scheme);
    }

    [Fact]
    public void RunJsonNamesTheMethodAndHoldsOnlyItsOwnSettings()
    {
        var path = Write(TrainingScheme.CutMix(0.3));

        var scheme = JsonNode.Parse(File.ReadAllText(path))!["scheme"]!.AsObject();

        Assert.Equal(["name", "method", "labelSmoothing"], scheme.Select(field => field.Key));
        Assert.Equal("""{"kind":"cutmix","alpha":0.3}""", scheme["method"]!.ToJsonString());
        var nfm = JsonNode.Parse(File.ReadAllText(Write(TrainingScheme.Nfm())))!["scheme"]!["method"]!.AsObject();
        Assert.Equal("nfm", nfm["kind"]!.GetValue<string>());
        Assert.Equal(0.4, nfm["options"]!["additiveNoise"]!.GetValue<double>());
        var puzzleMix = JsonNode.Parse(File.ReadAllText(Write(TrainingScheme.PuzzleMix())))!["scheme"]!["method"]!.AsObject();
        Assert.Equal("puzzlemix", puzzleMix["kind"]!.GetValue<string>());
        Assert.Equal(1.2, puzzleMix["options"]!["beta"]!.GetValue<double>());
    }

    [Fact]
    public void TheCatalogIsTheOneListOfNames()
    {
        Assert.Equal(SchemeCatalog.All.Select(preset => preset.Scheme.Name), TrainingScheme.Names);
        Assert.Equal(TrainingScheme.Names.Count, TrainingScheme.Names.Distinct().Count());
        Assert.Equal(TrainingScheme.Erm(), TrainingScheme.Parse("baseline"));
        Assert.All(SchemeCatalog.All, preset => Assert.False(string.IsNullOrWhiteSpace(preset.Summary)));
    }

    [Fact]
    public void EachMethodValidatesItsOwnSettings()
    {
        var cutMix = Assert.Throws<ArgumentException>(() => (TrainingScheme.CutMix() with { Method = new CutMixMethod(0) }).Validate());
        Assert.Contains("CutMix's Alpha must be a finite number > 0 (was 0)", cutMix.Message);
        var nfm = Assert.Throws<ArgumentException>(() => new TrainingScheme("x", new NfmMethod(NfmPresets.Nfm(additive: -1))).Validate());
        Assert.Contains("AdditiveNoise", nfm.Message);
        var points = new TrainingScheme("x", new NfmMethod(NfmPresets.Nfm() with { MixPoints = MixPointSelection.Only(7) }));
        points.Validate();
        Assert.Throws<ArgumentException>(() => points.Validate(Network));
    }

    [Fact]
    public void EachMethodMakesItsOwnMixerWhoseDrawsAreItsOwnStepType()
    {
        using var scope = NewDisposeScope();
        using var cutMix = TrainingScheme.CutMix().CreateMixer(new MixerContext(Network, 0, CPU) { ImageShape = [1, 8, 8] });
        using var nfm = TrainingScheme.Nfm().CreateMixer(new MixerContext(Network, 0, CPU));

        Assert.IsType<CutMixStep>(cutMix.Draw(zeros(4, 1, 8, 8), zeros(4, dtype: ScalarType.Int64)).Step);
        Assert.IsType<NfmStep>(nfm.Draw(zeros(4, 2), zeros(4, dtype: ScalarType.Int64)).Step);
    }

    private RunManifest WriteAndRead(TrainingScheme scheme) => RunManifest.Read(Write(scheme));

    private string Write(TrainingScheme scheme)
    {
        var path = folder.File($"{Guid.NewGuid():N}.json");
        new RunManifest("Net", 10, 2, "train", null, scheme, new TrainingOptions(), DateTimeOffset.UnixEpoch).Write(path);
        return path;
    }
}
