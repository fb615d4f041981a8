using System.Buffers;
using System.Text;

namespace PluggableEcho.Plugins.Reverse;

/// <summary>Decoding of one UTF-8 character, for the fast path that does not decode everything.</summary>
internal static class Utf8Character
{
    /// <summary>Decodes the character <paramref name="source"/> starts with; false if its first
    /// byte does not start a valid one.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> source, out int codePoint, out int length)
    {
        // Two bytes, the commonest case out of ASCII, at once: C2..DF then a continuation byte is
        // always valid.
        if (source.Length >= 2 && (uint)(source[0] - 0xC2) <= 0xDF - 0xC2 && (source[1] & 0xC0) == 0x80)
        {
            codePoint = ((source[0] & 0x1F) << 6) | (source[1] & 0x3F);
            length = 2;
            return true;
        }

        OperationStatus status = Rune.DecodeFromUtf8(source, out Rune rune, out length);
        codePoint = rune.Value;
        return status == OperationStatus.Done;
    }
}
