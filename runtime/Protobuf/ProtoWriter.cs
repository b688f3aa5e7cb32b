using System.Buffers.Binary;
using System.Text;

namespace NfmGen.Protobuf;

/// <summary>
/// Writes one protocol buffer message field by field, in the wire format (varints, fixed-width numbers,
/// length-delimited bytes and nested messages): what TensorBoard's event files and ONNX models need, without a
/// generated-code dependency.
/// </summary>
internal sealed class ProtoWriter
{
    private readonly MemoryStream buffer = new();

    /// <summary>An integer field (int32, int64, enum, bool) as a varint; a negative value takes ten bytes, as protobuf's int64 does.</summary>
    public ProtoWriter Int(int field, long value)
    {
        Key(field, WireType.Varint);
        Varint((ulong)value);
        return this;
    }

    /// <summary>A <c>double</c> field.</summary>
    public ProtoWriter Double(int field, double value)
    {
        Key(field, WireType.Fixed64);
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(bytes, value);
        buffer.Write(bytes);
        return this;
    }

    /// <summary>A <c>float</c> field.</summary>
    public ProtoWriter Float(int field, float value)
    {
        Key(field, WireType.Fixed32);
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        buffer.Write(bytes);
        return this;
    }

    /// <summary>A <c>string</c> field, UTF-8.</summary>
    public ProtoWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    /// <summary>A <c>bytes</c> field.</summary>
    public ProtoWriter Bytes(int field, ReadOnlySpan<byte> value)
    {
        Key(field, WireType.LengthDelimited);
        Varint((ulong)value.Length);
        buffer.Write(value);
        return this;
    }

    /// <summary>A nested message field, written by <paramref name="write"/>.</summary>
    public ProtoWriter Message(int field, Action<ProtoWriter> write)
    {
        var inner = new ProtoWriter();
        write(inner);
        return Bytes(field, inner.Written);
    }

    /// <summary>The message written so far.</summary>
    public byte[] ToArray() => buffer.ToArray();

    /// <summary>Copies the message written so far to <paramref name="output"/>.</summary>
    public void WriteTo(Stream output) => output.Write(Written);

    private ReadOnlySpan<byte> Written => buffer.GetBuffer().AsSpan(0, (int)buffer.Length);

    private void Key(int field, WireType wireType) => Varint((ulong)((field << 3) | (int)wireType));

    private void Varint(ulong value)
    {
        while (value >= 0x80)
        {
            buffer.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        buffer.WriteByte((byte)value);
    }
}

/// <summary>The protocol buffer wire types that NfmGen's messages use.</summary>
internal enum WireType
{
    /// <summary>Integers, enums and bools.</summary>
    Varint = 0,

    /// <summary><c>double</c>, <c>fixed64</c>.</summary>
    Fixed64 = 1,

    /// <summary>Strings, bytes, nested messages, packed repeated fields.</summary>
    LengthDelimited = 2,

    /// <summary><c>float</c>, <c>fixed32</c>.</summary>
    Fixed32 = 5,
}
