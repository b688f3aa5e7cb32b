using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace NfmGen.Training;

/// <summary>
/// The frame around a checkpoint's payload: 7 magic bytes <c>NFMCKPT</c>, one ASCII digit of format version, then
/// (version 2) the payload's length as a little-endian int64 and its SHA-256, then the payload. Version 1, written
/// before the checksum existed, is the magic and the payload alone: it is still read, without a check.
/// </summary>
internal static class CheckpointFormat
{
    public const char CurrentVersion = '2';
    public const char UncheckedVersion = '1';
    private const int HashLength = 32;
    private const int FixedHeaderLength = 8 + sizeof(long) + HashLength;
    private static readonly byte[] Magic = "NFMCKPT"u8.ToArray();

    /// <summary>Writes the frame and the payload that <paramref name="writePayload"/> writes, at the stream's position.</summary>
    public static void Write(Stream stream, Action<Stream> writePayload)
    {
        var start = stream.Position;
        stream.Write(Magic);
        stream.WriteByte((byte)CurrentVersion);
        stream.Write(new byte[sizeof(long) + HashLength]); // filled in once the payload is written
        using var hashing = new HashingStream(stream);
        writePayload(hashing);
        var end = stream.Position;

        Span<byte> lengthAndHash = stackalloc byte[sizeof(long) + HashLength];
        BinaryPrimitives.WriteInt64LittleEndian(lengthAndHash, hashing.Written);
        hashing.Hash(lengthAndHash[sizeof(long)..]);
        stream.Position = start + Magic.Length + 1;
        stream.Write(lengthAndHash);
        stream.Position = end;
    }

    /// <summary>
    /// Opens the checkpoint at <paramref name="path"/>, checks its frame and checksum, and returns a reader at the start
    /// of its payload, and whether the payload was checked (false for version 1).
    /// </summary>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="CheckpointDamagedException">The file is not a checkpoint, or it is damaged.</exception>
    public static (BinaryReader Reader, bool Checked) Open(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"no checkpoint at {path}", path);
        var stream = File.OpenRead(path);
        try
        {
            var version = ReadVersion(stream, path);
            if (version == CurrentVersion)
                Verify(stream, path);
            return (new BinaryReader(stream, Encoding.UTF8, leaveOpen: false), version == CurrentVersion);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    private static char ReadVersion(Stream stream, string path)
    {
        Span<byte> start = stackalloc byte[Magic.Length + 1];
        var read = stream.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
        if (read < Magic.Length || !start[..Magic.Length].SequenceEqual(Magic))
            throw new CheckpointDamagedException(path, $"it does not start with the magic bytes NFMCKPT of an NfmGen checkpoint (wrong magic bytes; {stream.Length} bytes)");
        if (read == Magic.Length)
            throw new CheckpointDamagedException(path, "it ends right after its magic bytes (truncated)");
        var version = (char)start[Magic.Length];
        if (version != CurrentVersion && version != UncheckedVersion)
            throw new CheckpointDamagedException(path,
                $"its format header is garbled: format version byte 0x{start[Magic.Length]:X2}, where this NfmGen reads versions {UncheckedVersion} and {CurrentVersion}");
        return version;
    }

    private static void Verify(Stream stream, string path)
    {
        Span<byte> lengthAndHash = stackalloc byte[sizeof(long) + HashLength];
        if (stream.ReadAtLeast(lengthAndHash, lengthAndHash.Length, throwOnEndOfStream: false) < lengthAndHash.Length)
            throw new CheckpointDamagedException(path, $"it is truncated inside its {FixedHeaderLength}-byte format header ({stream.Length} bytes)");
        var length = BinaryPrimitives.ReadInt64LittleEndian(lengthAndHash);
        var actual = stream.Length - FixedHeaderLength;
        if (length < 0)
            throw new CheckpointDamagedException(path, $"its format header is garbled: a payload length of {length} bytes");
        if (actual < length)
            throw new CheckpointDamagedException(path, $"it is truncated: its header says {length:N0} bytes of payload, the file holds {actual:N0}");
        if (actual > length)
            throw new CheckpointDamagedException(path,
                $"it holds {actual - length:N0} bytes more than its header's {length:N0} bytes of payload (a garbled header, or data appended)");

        var expected = lengthAndHash[sizeof(long)..].ToArray();
        var hash = SHA256.HashData(stream);
        if (!hash.AsSpan().SequenceEqual(expected))
            throw new CheckpointDamagedException(path,
                $"its payload does not match its SHA-256 checksum (flipped bits or overwritten bytes; expected {Convert.ToHexStringLower(expected)[..16]}..., found {Convert.ToHexStringLower(hash)[..16]}...)");
        stream.Position = FixedHeaderLength;
    }

    /// <summary>Passes writes through to a stream, counting and hashing them.</summary>
    private sealed class HashingStream(Stream inner) : Stream
    {
        private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public long Written { get; private set; }

        public void Hash(Span<byte> destination) => hash.GetHashAndReset(destination);

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            inner.Write(buffer);
            hash.AppendData(buffer);
            Written += buffer.Length;
        }

        public override void WriteByte(byte value) => Write([value]);

        public override void Flush() => inner.Flush();

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Written; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                hash.Dispose();
            base.Dispose(disposing);
        }
    }
}
