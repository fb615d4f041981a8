using System.Buffers;
using System.Runtime.CompilerServices;
using PluggableEcho.Abstractions;

namespace PluggableEcho.Plugins.Uppercase;

/// <summary>
/// Upper-cases UTF-8 text as <see cref="string.ToUpperInvariant"/> does: each character by its
/// simple case mapping, so only cased characters change. ASCII runs take a vectorised path that
/// decodes nothing; any other character is decoded, mapped (through a table for the first two
/// planes) and encoded again, so the length may change (<c>ɐ</c>, 2 bytes, becomes <c>Ɐ</c>, 3
/// bytes). Bytes that are not valid UTF-8 pass through unchanged.
/// </summary>
internal sealed class UppercaseTransform : ILinewiseTransform
{
    // The most one character's capital takes: room for at least one more, however small the rest.
    private const int MaxRuneBytes = 4;

    // The tables are built as the pipeline is, at start-up, rather than at the first message
    // (tens of milliseconds on a loop's thread).
    public UppercaseTransform() => RuntimeHelpers.RunClassConstructor(typeof(UpperCaseMap).TypeHandle);

    public void Transform(ReadOnlySpan<byte> message, IBufferWriter<byte> output)
    {
        // Room for the message as it is, which is nearly always enough. If capitals grow past it,
        // room for the worst case of what is left: no character's capital is more than half as
        // long again as it is, so there is never a third turn.
        int room = message.Length;
        while (!message.IsEmpty)
        {
            Span<byte> destination = output.GetSpan(Math.Max(room, MaxRuneBytes));
            int read = Utf8UpperCase.ToUpper(message, destination, out int written);
            output.Advance(written);
            message = message[read..];
            room = message.Length + (message.Length / 2);
        }
    }
}
