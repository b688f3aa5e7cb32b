using System.Buffers.Binary;
using System.Text;

namespace NfmGen.Tracking;

/// <summary>
/// One TensorBoard event as NfmGen writes and reads it: the <c>tensorflow.Event</c> protocol buffer's wall time, step,
/// file version and scalar summary values, in a TFRecord frame (length, masked CRC-32C of the length, the data, masked
/// CRC-32C of the data).
/// </summary>
/// <param name="WallTime">Seconds since the Unix epoch, with fractions.</param>
/// <param name="Step">The global training step the values belong to.</param>
/// <param name="FileVersion">Set on a file's first event only: <c>brain.Event:2</c>.</param>
/// <param name="Scalars">The scalar values by tag.</param>
internal sealed record EventRecord(double WallTime, long Step, string? FileVersion, IReadOnlyList<(string Tag, float Value)> Scalars)
{
    /// <summary>The file version TensorBoard expects in a file's first event.</summary>
    public const string Version = "brain.Event:2";

    // Field numbers of tensorflow.Event and tensorflow.Summary(.Value) (tensorflow/core/util/event.proto, summary.proto).
    private const int WallTimeField = 1, StepField = 2, FileVersionField = 3, SummaryField = 5;
    private const int SummaryValueField = 1, TagField = 1, SimpleValueField = 2;
    private const int Varint = 0, Fixed64 = 1, LengthDelimited = 2, Fixed32 = 5;

    /// <summary>The event framed as one TFRecord.</summary>
    public byte[] Frame()
    {
        var data = Encode();
        var frame = new byte[8 + 4 + data.Length + 4];
        BinaryPrimitives.WriteUInt64LittleEndian(frame, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(8), Crc32C.Masked(frame.AsSpan(0, 8)));
        data.CopyTo(frame, 12);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(12 + data.Length), Crc32C.Masked(data));
        return frame;
    }

    /// <summary>
    /// The events of a TFRecord stream, in order, up to the first record that is incomplete or fails a CRC check (the
    /// tail a crash can leave); <paramref name="intact"/> says whether the whole stream was read.
    /// </summary>
    public static List<EventRecord> ReadAll(ReadOnlySpan<byte> stream, out bool intact)
    {
        var events = new List<EventRecord>();
        while (stream.Length > 0)
        {
            // A frame is at least 16 bytes: length (8), its CRC (4), the data, the data's CRC (4).
            if (stream.Length < 16 || BinaryPrimitives.ReadUInt32LittleEndian(stream[8..]) != Crc32C.Masked(stream[..8]))
                break;
            var length = BinaryPrimitives.ReadUInt64LittleEndian(stream);
            if (length > (ulong)(stream.Length - 16))
                break;
            var data = stream.Slice(12, (int)length);
            if (BinaryPrimitives.ReadUInt32LittleEndian(stream[(12 + (int)length)..]) != Crc32C.Masked(data))
                break;
            events.Add(Decode(data));
            stream = stream[(16 + (int)length)..];
        }
        intact = stream.Length == 0;
        return events;
    }

    private byte[] Encode()
    {
        var output = new MemoryStream();
        Span<byte> number = stackalloc byte[8];
        Key(output, WallTimeField, Fixed64);
        BinaryPrimitives.WriteDoubleLittleEndian(number, WallTime);
        output.Write(number);
        Key(output, StepField, Varint);
        WriteVarint(output, (ulong)Step);
        if (FileVersion is not null)
            Bytes(output, FileVersionField, Encoding.UTF8.GetBytes(FileVersion));
        if (Scalars.Count > 0)
        {
            var summary = new MemoryStream();
            foreach (var (tag, value) in Scalars)
            {
                var entry = new MemoryStream();
                Bytes(entry, TagField, Encoding.UTF8.GetBytes(tag));
                Key(entry, SimpleValueField, Fixed32);
                BinaryPrimitives.WriteSingleLittleEndian(number, value);
                entry.Write(number[..4]);
                Bytes(summary, SummaryValueField, entry.ToArray());
            }
            Bytes(output, SummaryField, summary.ToArray());
        }
        return output.ToArray();
    }

    private static EventRecord Decode(ReadOnlySpan<byte> data)
    {
        double wallTime = 0;
        long step = 0;
        string? fileVersion = null;
        var scalars = new List<(string, float)>();
        foreach (var (field, wireType, value, bytes) in Fields(data))
        {
            if (field == WallTimeField && wireType == Fixed64)
                wallTime = BitConverter.Int64BitsToDouble((long)value);
            else if (field == StepField && wireType == Varint)
                step = (long)value;
            else if (field == FileVersionField && wireType == LengthDelimited)
                fileVersion = Encoding.UTF8.GetString(bytes);
            else if (field == SummaryField && wireType == LengthDelimited)
            {
                foreach (var (summaryField, summaryType, _, entry) in Fields(bytes))
                {
                    if (summaryField == SummaryValueField && summaryType == LengthDelimited)
                        scalars.AddRange(Scalar(entry));
                }
            }
        }
        return new EventRecord(wallTime, step, fileVersion, scalars);
    }

    // A Summary.Value with a simple_value; values of other kinds (images, histograms) are passed over.
    private static IEnumerable<(string, float)> Scalar(byte[] entry)
    {
        string? tag = null;
        float? value = null;
        foreach (var (field, wireType, number, bytes) in Fields(entry))
        {
            if (field == TagField && wireType == LengthDelimited)
                tag = Encoding.UTF8.GetString(bytes);
            else if (field == SimpleValueField && wireType == Fixed32)
                value = BitConverter.Int32BitsToSingle((int)number);
        }
        return tag is not null && value is { } simple ? [(tag, simple)] : [];
    }

    // The fields of a protocol buffer message: number and wire type, the value of a number, the bytes of the rest.
    private static List<(int Field, int WireType, ulong Value, byte[] Bytes)> Fields(ReadOnlySpan<byte> message)
    {
        var fields = new List<(int, int, ulong, byte[])>();
        var position = 0;
        while (position < message.Length)
        {
            var key = ReadVarint(message, ref position);
            var (field, wireType) = ((int)(key >> 3), (int)(key & 7));
            switch (wireType)
            {
                case Varint:
                    fields.Add((field, wireType, ReadVarint(message, ref position), []));
                    break;
                case Fixed64:
                    fields.Add((field, wireType, BinaryPrimitives.ReadUInt64LittleEndian(message[position..]), []));
                    position += 8;
                    break;
                case Fixed32:
                    fields.Add((field, wireType, BinaryPrimitives.ReadUInt32LittleEndian(message[position..]), []));
                    position += 4;
                    break;
                case LengthDelimited:
                    var length = (int)ReadVarint(message, ref position);
                    fields.Add((field, wireType, 0, message.Slice(position, length).ToArray()));
                    position += length;
                    break;
                default:
                    throw new InvalidDataException($"an event holds a field of wire type {wireType}, which TensorBoard's events do not use");
            }
        }
        return fields;
    }

    private static void Key(Stream output, int field, int wireType) => WriteVarint(output, (ulong)((field << 3) | wireType));

    private static void Bytes(Stream output, int field, byte[] bytes)
    {
        Key(output, field, LengthDelimited);
        WriteVarint(output, (ulong)bytes.Length);
        output.Write(bytes);
    }

    private static void WriteVarint(Stream output, ulong value)
    {
        while (value >= 0x80)
        {
            output.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        output.WriteByte((byte)value);
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var next = data[position++];
            value |= (ulong)(next & 0x7F) << shift;
            if (next < 0x80)
                return value;
        }
        throw new InvalidDataException("an event holds a varint longer than 10 bytes");
    }

    /// <inheritdoc />
    public bool Equals(EventRecord? other) =>
        other is not null && WallTime == other.WallTime && Step == other.Step && FileVersion == other.FileVersion && Scalars.SequenceEqual(other.Scalars);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(WallTime, Step, FileVersion, Scalars.Count);
}
