using System.Buffers;
using System.Runtime.Intrinsics;
using PluggableEcho.Abstractions;

namespace PluggableEcho.Plugins.Rot13;

/// <summary>
/// Rotates ASCII letters by 13 places. Every other byte, including each byte of a multi-byte
/// UTF-8 character (all of which are 0x80 or above) and each invalid byte, passes through
/// unchanged, so the length never changes and nothing needs decoding.
/// </summary>
internal sealed class Rot13Transform : ILinewiseTransform
{
    public void Transform(ReadOnlySpan<byte> message, IBufferWriter<byte> output)
    {
        Span<byte> destination = output.GetSpan(message.Length);
        int done = Vector128.IsHardwareAccelerated ? RotateVectors(message, destination) : 0;
        for (int i = done; i < message.Length; i++)
        {
            destination[i] = Rotate(message[i]);
        }

        output.Advance(message.Length);
    }

    private static byte Rotate(byte b)
    {
        int letter = (b | 0x20) - 'a'; // 'A'..'Z' and 'a'..'z' both become 0..25.
        return (uint)letter < 26 ? (byte)(b + (letter < 13 ? 13 : -13)) : b;
    }

    /// <summary><see cref="Rotate"/>, 16 bytes at a time; returns how many bytes it did.</summary>
    private static int RotateVectors(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        Vector128<byte> caseBit = Vector128.Create((byte)0x20);
        Vector128<byte> a = Vector128.Create((byte)'a');
        Vector128<byte> letters = Vector128.Create((byte)26);
        Vector128<byte> half = Vector128.Create((byte)13);
        Vector128<byte> back = Vector128.Create(unchecked((byte)-13));

        int done = 0;
        for (; done <= source.Length - Vector128<byte>.Count; done += Vector128<byte>.Count)
        {
            Vector128<byte> bytes = Vector128.Create(source.Slice(done, Vector128<byte>.Count));
            Vector128<byte> letter = (bytes | caseBit) - a; // Byte compares are unsigned: non-letters wrap above 25.
            Vector128<byte> shift = Vector128.ConditionalSelect(Vector128.LessThan(letter, half), half, back);
            (bytes + (shift & Vector128.LessThan(letter, letters))).CopyTo(destination[done..]);
        }

        return done;
    }
}
