using System.Buffers;
using PluggableEcho.Abstractions;

namespace PluggableEcho.Plugins.Rot13;

/// <summary>
/// Rotates ASCII letters by 13 places. Every other byte, including each byte of a multi-byte
/// UTF-8 character (all of which are 0x80 or above), passes through unchanged.
/// </summary>
internal sealed class Rot13Transform : ITransform
{
    private static readonly byte[] Table = BuildTable();

    public void Transform(ReadOnlySpan<byte> message, IBufferWriter<byte> output)
    {
        Span<byte> destination = output.GetSpan(message.Length);
        byte[] table = Table;
        for (int i = 0; i < message.Length; i++)
        {
            destination[i] = table[message[i]];
        }

        output.Advance(message.Length);
    }

    private static byte[] BuildTable()
    {
        var table = new byte[256];
        for (int b = 0; b < table.Length; b++)
        {
            table[b] = b switch
            {
                >= 'a' and <= 'z' => (byte)('a' + ((b - 'a' + 13) % 26)),
                >= 'A' and <= 'Z' => (byte)('A' + ((b - 'A' + 13) % 26)),
                _ => (byte)b,
            };
        }

        return table;
    }
}
