using NfmGen.Training;

namespace NfmGen.Tests.Training;

/// <summary>Checkpoints are replaced atomically: a crash while writing leaves the previous one whole.</summary>
public sealed class CheckpointFileTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void CrashWhileWritingLeavesTheOldFileIntact()
    {
        var path = folder.File("checkpoint.bin");
        AtomicFile.Write(path, stream => stream.Write("complete"u8));

        var crash = Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("half a chec"u8);
            throw new IOException("simulated crash");
        }));

        Assert.Equal("simulated crash", crash.Message);
        Assert.Equal("complete", File.ReadAllText(path));
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void CrashWhileWritingACheckpointLeavesTheOldOneLoadable()
    {
        using var network = TinyTraining.Network();
        var path = folder.File("checkpoint.bin");
        var header = new CheckpointHeader("SmallConvNet", Checkpoint.ParameterCount(network), 3, TrainingScheme.Erm(), TrainingProgress.Start with { Epoch = 4 });
        Checkpoint.Save(path, header, network, null, []);

        // A process killed mid-write leaves at most a partial temporary file beside the checkpoint.
        File.WriteAllBytes(path + ".tmp", File.ReadAllBytes(path)[..100]);

        Assert.Equal(4, Checkpoint.ReadHeader(path).Progress.Epoch);
        using var fresh = TinyTraining.Network(width: 2);
        var (loaded, _) = Checkpoint.Load(path, fresh, null, "SmallConvNet", 3, TrainingScheme.Erm());
        Assert.Equal(header, loaded);
        TinyTraining.AssertSameWeights(network, fresh);
    }

    [Fact]
    public void TruncatedCheckpointIsRejectedClearly()
    {
        var path = folder.File("checkpoint.bin");
        File.WriteAllBytes(path, "NFMCKPT1"u8.ToArray());

        var error = Assert.Throws<InvalidDataException>(() => Checkpoint.ReadHeader(path));
        Assert.Contains("not a complete NfmGen checkpoint", error.Message);
    }

    [Fact]
    public void ForeignFileIsRejectedClearly()
    {
        var path = folder.File("weights.pt");
        File.WriteAllText(path, "PK\u0003\u0004 not ours");

        var error = Assert.Throws<InvalidDataException>(() => Checkpoint.ReadHeader(path));
        Assert.Contains("wrong magic bytes", error.Message);
    }
}
