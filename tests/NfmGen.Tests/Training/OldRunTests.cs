using System.Text.Json.Nodes;
using NfmGen.Mixing;
using NfmGen.Tests.Cli;
using NfmGen.Tests.Data;
using NfmGen.Training;

namespace NfmGen.Tests.Training;

/// <summary>
/// Run folders written by NfmGen before the recipe had one shape (issue 12), kept in <c>OldRuns/</c>: their run.json
/// still reads as the scheme they trained, and <c>nfm train --resume</c> continues them from their epoch-1 checkpoint.
/// Made by <c>nfm train --epochs 2 --steps-per-epoch 2</c> (toy-mlp width 8 on moons; small-convnet width 1 on a
/// 40-image MNIST folder), with the epoch-1 checkpoint as checkpoint.bin and the first line of metrics.jsonl.
/// </summary>
public sealed class OldRunTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    public static TheoryData<string> Runs => ["nfm", "noisy-mixup-changed", "cutmix"];

    private static string OldRun(string name) => Path.Combine(RepositoryPaths.Root, "tests", "NfmGen.Tests", "Training", "OldRuns", name);

    [Fact]
    public void OldRunJsonReadsAsTheSchemeItTrained()
    {
        Assert.Equal(TrainingScheme.Nfm(), RunManifest.Read(Path.Combine(OldRun("nfm"), "run.json")).Scheme);
        Assert.Equal(TrainingScheme.CutMix(0.7), RunManifest.Read(Path.Combine(OldRun("cutmix"), "run.json")).Scheme);
        var changed = new TrainingScheme(
            "noisy-mixup (alpha 0.5, points 0,1, fixed noise, smoothing 0.1)",
            new NfmMethod(NfmPresets.NoisyMixup(alpha: 0.5) with { MixPoints = MixPointSelection.Only(0, 1), NoiseScale = NoiseScaleRule.Fixed }),
            LabelSmoothing: 0.1);
        Assert.Equal(changed, RunManifest.Read(Path.Combine(OldRun("noisy-mixup-changed"), "run.json")).Scheme);
    }

    [Theory]
    [MemberData(nameof(Runs))]
    public void OldRunResumesToItsLastEpoch(string name)
    {
        var run = folder.File(name);
        Directory.CreateDirectory(run);
        foreach (var file in Directory.GetFiles(OldRun(name)))
            File.Copy(file, Path.Combine(run, Path.GetFileName(file)));
        if (name == "cutmix")
            PointAtTinyMnist(run);
        var before = RunManifest.Read(Path.Combine(run, "run.json"));

        var resume = NfmProcess.Run(folder.Path, "train", "--resume", "--run", name);

        Assert.True(resume.ExitCode == 0, resume.ToString());
        Assert.Equal([1, 2], new RunFolder(run).ReadMetrics().Select(metrics => metrics.Epoch));
        Assert.Equal(before.Scheme, RunManifest.Read(Path.Combine(run, "run.json")).Scheme);
    }

    // The run was trained on a 40-image MNIST-format folder of random pixels; any such folder resumes it.
    private void PointAtTinyMnist(string run)
    {
        var data = WriteTinyMnist(folder.File("mnist"));
        var spec = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "nfm.json")))!.AsObject();
        spec["dataPath"] = data;
        File.WriteAllText(Path.Combine(run, "nfm.json"), spec.ToJsonString());
    }

    /// <summary>Writes an MNIST-format folder of 40 training and 20 test images, 28x28, classes 0-9 in turn; returns its path.</summary>
    internal static string WriteTinyMnist(string data)
    {
        Directory.CreateDirectory(data);
        foreach (var (split, count) in new[] { ("train", 40), ("t10k", 20) })
        {
            DataFileWriter.WriteIdxImages(Path.Combine(data, $"{split}-images-idx3-ubyte"), count, 28, 28);
            DataFileWriter.WriteIdxLabels(Path.Combine(data, $"{split}-labels-idx1-ubyte"), [.. Enumerable.Range(0, count).Select(i => (byte)(i % 10))]);
        }
        return data;
    }
}
