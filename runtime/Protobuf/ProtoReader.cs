using System.Buffers.Binary;

namespace NfmGen.Protobuf;

/// <summary>One field of a protocol buffer message as read: its number and wire type, a number's value, a length-delimited field's bytes.</summary>
internal readonly record struct ProtoField(int Number, WireType WireType, ulong Value, byte[] Bytes);

/// <summary>Reads the fields of a protocol buffer message, the inverse of <see cref="ProtoWriter"/>.</summary>
internal static class ProtoReader
{
    /// <summary>The fields of <paramref name="message"/> in order.</summary>
    /// <exception cref="InvalidDataException">The message is cut short, or holds a wire type NfmGen's messages do not use.</exception>
    public static List<ProtoField> Fields(ReadOnlySpan<byte> message)
    {
        var fields = new List<ProtoField>();
        var position = 0;
        while (position < message.Length)
        {
            var key = Varint(message, ref position);
            var (number, wireType) = ((int)(key >> 3), (WireType)(key & 7));
            switch (wireType)
            {
                case WireType.Varint:
                    fields.Add(new(number, wireType, Varint(message, ref position), []));
                    break;
                case WireType.Fixed64:
                    fields.Add(new(number, wireType, BinaryPrimitives.ReadUInt64LittleEndian(Take(message, ref position, 8)), []));
                    break;
                case WireType.Fixed32:
                    fields.Add(new(number, wireType, BinaryPrimitives.ReadUInt32LittleEndian(Take(message, ref position, 4)), []));
                    break;
                case WireType.LengthDelimited:
                    var length = Varint(message, ref position);
                    fields.Add(new(number, wireType, 0, Take(message, ref position, length).ToArray()));
                    break;
                default:
                    throw new InvalidDataException($"a message holds field {number} of wire type {(int)wireType}, which NfmGen's messages do not use");
            }
        }
        return fields;
    }

    private static ReadOnlySpan<byte> Take(ReadOnlySpan<byte> message, ref int position, ulong length)
    {
        if (length > (ulong)(message.Length - position))
            throw new InvalidDataException($"a message is cut short: a field needs {length} bytes, {message.Length - position} are left");
        var taken = message.Slice(position, (int)length);
        position += (int)length;
        return taken;
    }

    private static ulong Varint(ReadOnlySpan<byte> message, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64 && position < message.Length; shift += 7)
        {
            var next = message[position++];
            value |= (ulong)(next & 0x7F) << shift;
            if (next < 0x80)
                return value;
        }
        throw new InvalidDataException("a message holds a varint that is cut short or longer than 10 bytes");
    }
}
