using System.Buffers.Binary;
using System.Text;
using NfmGen.Protobuf;

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
        var output = new ProtoWriter().Double(WallTimeField, WallTime).Int(StepField, Step);
        if (FileVersion is not null)
            output.String(FileVersionField, FileVersion);
        if (Scalars.Count > 0)
        {
            output.Message(SummaryField, summary =>
            {
                foreach (var (tag, value) in Scalars)
                    summary.Message(SummaryValueField, entry => entry.String(TagField, tag).Float(SimpleValueField, value));
            });
        }
        return output.ToArray();
    }

    private static EventRecord Decode(ReadOnlySpan<byte> data)
    {
        double wallTime = 0;
        long step = 0;
        string? fileVersion = null;
        var scalars = new List<(string, float)>();
        foreach (var field in ProtoReader.Fields(data))
        {
            if (field is { Number: WallTimeField, WireType: WireType.Fixed64 })
                wallTime = BitConverter.Int64BitsToDouble((long)field.Value);
            else if (field is { Number: StepField, WireType: WireType.Varint })
                step = (long)field.Value;
            else if (field is { Number: FileVersionField, WireType: WireType.LengthDelimited })
                fileVersion = Encoding.UTF8.GetString(field.Bytes);
            else if (field is { Number: SummaryField, WireType: WireType.LengthDelimited })
            {
                foreach (var entry in ProtoReader.Fields(field.Bytes))
                {
                    if (entry is { Number: SummaryValueField, WireType: WireType.LengthDelimited })
                        scalars.AddRange(Scalar(entry.Bytes));
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
        foreach (var field in ProtoReader.Fields(entry))
        {
            if (field is { Number: TagField, WireType: WireType.LengthDelimited })
                tag = Encoding.UTF8.GetString(field.Bytes);
            else if (field is { Number: SimpleValueField, WireType: WireType.Fixed32 })
                value = BitConverter.Int32BitsToSingle((int)field.Value);
        }
        return tag is not null && value is { } simple ? [(tag, simple)] : [];
    }

    /// <inheritdoc />
    public bool Equals(EventRecord? other) =>
        other is not null && WallTime == other.WallTime && Step == other.Step && FileVersion == other.FileVersion && Scalars.SequenceEqual(other.Scalars);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(WallTime, Step, FileVersion, Scalars.Count);
}
