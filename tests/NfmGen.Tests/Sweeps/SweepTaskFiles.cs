using System.Diagnostics;
using System.Text.Json.Nodes;
using NfmGen.Cli.Sweeps;
using NfmGen.Models;
using NfmGen.Training;
using static TorchSharp.torch;

namespace NfmGen.Tests.Sweeps;

/// <summary>What the sweep tests read back from a sweep folder: final weights, records, waiting for files to appear.</summary>
internal static class SweepTaskFiles
{
    /// <summary>The network of a task's run with the weights of its last checkpoint, rebuilt from the run's own files.</summary>
    public static nn.Module<Tensor, Tensor> FinalWeights(SweepFolder sweep, int index)
    {
        var run = sweep.RunFolder(index);
        var spec = JsonNode.Parse(File.ReadAllText(run.ModelSpecPath))!;
        var manifest = run.ReadManifest();
        var network = ModelZoo.Find((string)spec["model"]!).Create(
            new ModelShape((int)spec["classes"]!, (int)spec["inChannels"]!, (int)spec["imageSize"]!, (int?)spec["width"])).Module;
        var (_, states) = Checkpoint.Load(run.CheckpointPath, network, null, manifest.Network, manifest.ClassCount, scheme: null);
        foreach (var state in states)
            state.Dispose();
        return network;
    }

    /// <summary>Task <paramref name="index"/> of the two sweeps ended with bit-identical weights after the same number of steps.</summary>
    public static void AssertSameFinalWeights(SweepFolder expected, SweepFolder actual, int index)
    {
        Assert.Equal(Checkpoint.ReadHeader(expected.RunFolder(index).CheckpointPath).Progress.GlobalStep,
            Checkpoint.ReadHeader(actual.RunFolder(index).CheckpointPath).Progress.GlobalStep);
        using var uninterrupted = FinalWeights(expected, index);
        using var resumed = FinalWeights(actual, index);
        Training.TinyTraining.AssertSameWeights(uninterrupted, resumed);
    }

    /// <summary>Waits until <paramref name="condition"/> holds, failing after a minute or when <paramref name="process"/> ends first.</summary>
    public static void WaitUntil(Func<bool> condition, string what, Process? process = null)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(process is null || !process.HasExited, $"the process ended before {what}");
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(1), $"{what} did not happen within a minute");
            Thread.Sleep(20);
        }
    }

    /// <summary>Whether the task's run folder holds a checkpoint a reader can open (it may be replaced at any moment).</summary>
    public static bool HasCheckpoint(SweepFolder sweep, int index) => StepsInCheckpoint(sweep, index) > 0;

    /// <summary>Whether task <paramref name="index"/> runs, with a checkpoint of fewer than <paramref name="epochs"/> epochs: most of its training ahead.</summary>
    public static bool IsMidTraining(SweepFolder sweep, int index, int epochs)
    {
        var checkpoint = sweep.RunFolder(index).CheckpointPath;
        if (sweep.ReadRecord(index)?.State != TaskState.Running || !File.Exists(checkpoint))
            return false;
        try
        {
            return Checkpoint.ReadHeader(checkpoint).Progress.Epoch < epochs;
        }
        catch (Exception error) when (error is CheckpointDamagedException or IOException)
        {
            return false; // replaced while read, or between the two renames that keep the previous one
        }
    }

    /// <summary>The steps trained in the task's checkpoint, or 0 when it has none yet.</summary>
    public static long StepsInCheckpoint(SweepFolder sweep, int index)
    {
        try
        {
            return Checkpoint.ReadHeader(sweep.RunFolder(index).CheckpointPath).Progress.GlobalStep;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>Sends SIGINT, as Ctrl+C in a terminal does.</summary>
    public static void Interrupt(Process process) => Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();

    /// <summary>Reads a started process to its end.</summary>
    public static Cli.NfmProcess.Result Finish(Process process)
    {
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)), "the process did not end within 3 minutes");
        return new Cli.NfmProcess.Result(process.ExitCode, output.Result, error.Result);
    }
}
