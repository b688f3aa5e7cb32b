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
        AtomicFile.Write(path, stream => Checkpoint.Write(stream, header, network, null, [], []));

        // A process killed mid-write leaves at most a partial temporary file beside the checkpoint.
        File.WriteAllBytes(path + ".tmp", File.ReadAllBytes(path)[..100]);

        Assert.Equal(4, Checkpoint.ReadHeader(path).Progress.Epoch);
        using var fresh = TinyTraining.Network(width: 2);
        var (loaded, _) = Checkpoint.Load(path, fresh, null, "SmallConvNet", 3, TrainingScheme.Erm());
        Assert.Equal(header, loaded);
        TinyTraining.AssertSameWeights(network, fresh);
    }

    [Fact]
    public void ForeignFileIsRejectedClearly()
    {
        var path = folder.File("weights.pt");
        File.WriteAllText(path, "PK\u0003\u0004 not ours");

        var error = Assert.Throws<CheckpointDamagedException>(() => Checkpoint.ReadHeader(path));
        Assert.Contains("wrong magic bytes", error.Message);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void AFlippedBitIsRefusedByTheChecksum()
    {
        var path = SaveCheckpoint();
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x10; // in the weights: a format without checksum loaded this silently
        File.WriteAllBytes(path, bytes);

        var error = AssertDamaged(path);
        Assert.Contains("does not match its SHA-256 checksum", error.Message);
    }

    [Fact]
    public void ATruncatedFileSaysHowMuchIsMissing()
    {
        var path = SaveCheckpoint();
        var length = new FileInfo(path).Length;
        using (var stream = File.OpenWrite(path))
            stream.SetLength(length - 100);

        var error = AssertDamaged(path);
        Assert.Contains("it is truncated: its header says", error.Message);
        Assert.Contains($"the file holds {length - 48 - 100:N0}", error.Message);
    }

    [Theory]
    [InlineData(0, 0x58, "wrong magic bytes")]                            // the magic
    [InlineData(7, (byte)'9', "format version byte 0x39")]                // the format version
    [InlineData(15, 0x80, "a payload length of -")]                       // the payload length, negative
    [InlineData(13, 0x01, "it is truncated: its header says")]            // the payload length, longer than the file
    [InlineData(8, 0x00, "bytes more than its header's")]                 // the payload length, shorter than the file
    [InlineData(20, 0x00, "does not match its SHA-256 checksum")]         // the checksum itself
    [InlineData(52, 0x00, "does not match its SHA-256 checksum")]         // the JSON header inside the payload
    public void AGarbledHeaderSaysWhatIsWrong(int offset, byte value, string message)
    {
        var path = SaveCheckpoint();
        var bytes = File.ReadAllBytes(path);
        // The checksum's bytes vary with the checkpoint (1 in 256 is already the value): any other value garbles them alike.
        bytes[offset] = bytes[offset] == value ? (byte)~value : value;
        File.WriteAllBytes(path, bytes);

        var error = AssertDamaged(path);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void AFileOfTheFormatWithoutChecksumStillLoadsAndSaysItIsUnchecked()
    {
        using var network = TinyTraining.Network();
        var path = folder.File("old.bin");
        var header = new CheckpointHeader("SmallConvNet", Checkpoint.ParameterCount(network), 3, TrainingScheme.Erm(), TrainingProgress.Start with { Epoch = 2 });
        // Exactly what the first format's writer wrote: the magic, then the payload.
        using (var writer = new BinaryWriter(File.Create(path)))
        {
            writer.Write("NFMCKPT1"u8);
            writer.Write(System.Text.Json.JsonSerializer.Serialize(header, JsonOptions));
            network.save(writer);
            writer.Write(false);
            writer.Write(0);
        }

        var notices = new List<string>();
        using var fresh = TinyTraining.Network();
        var (loaded, _) = Checkpoint.Load(path, fresh, null, "SmallConvNet", 3, TrainingScheme.Erm(), notices.Add);

        Assert.Equal(header, loaded);
        TinyTraining.AssertSameWeights(network, fresh);
        Assert.Contains("without a checksum", Assert.Single(notices));
    }

    [Fact]
    public void ATruncatedFileOfTheFormatWithoutChecksumIsRefused()
    {
        var path = folder.File("checkpoint.bin");
        File.WriteAllBytes(path, "NFMCKPT1"u8.ToArray());

        var error = Assert.Throws<CheckpointDamagedException>(() => Checkpoint.ReadHeader(path));
        Assert.Contains("truncated or garbled", error.Message);
    }

    // The run folder's JSON settings (internal to the runtime): camelCase, enums as camelCase names.
    private static readonly System.Text.Json.JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase) },
    };

    private string SaveCheckpoint()
    {
        using var network = TinyTraining.Network();
        var path = folder.File("checkpoint.bin");
        var header = new CheckpointHeader("SmallConvNet", Checkpoint.ParameterCount(network), 3, TrainingScheme.Erm(), TrainingProgress.Start);
        AtomicFile.Write(path, stream => Checkpoint.Write(stream, header, network, null, [], []));
        return path;
    }

    private static CheckpointDamagedException AssertDamaged(string path)
    {
        using var network = TinyTraining.Network();
        var error = Assert.Throws<CheckpointDamagedException>(() => Checkpoint.Load(path, network, null, "SmallConvNet", 3, TrainingScheme.Erm()));
        Assert.StartsWith($"{path} is damaged: ", error.Message);
        return error;
    }
}
