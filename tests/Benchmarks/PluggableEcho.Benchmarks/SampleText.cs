using System.Text;

namespace PluggableEcho.Benchmarks;

/// <summary>Messages of an exact length in bytes: ASCII words, or mixed text with a non-ASCII
/// character in about every eighth place.</summary>
internal static class SampleText
{
    private static readonly string[] NonAscii = ["é", "ß", "ж", "😀"];

    public static byte[] Of(int length, bool mixed)
    {
        var text = new StringBuilder();
        var random = new Random(7);
        for (int written = 0; written < length;)
        {
            string next = mixed && random.Next(8) == 0 ? NonAscii[random.Next(NonAscii.Length)] : random.Next(6) == 0 ? " " : ((char)('a' + random.Next(26))).ToString();
            text.Append(next);
            written += Encoding.UTF8.GetByteCount(next);
        }

        // Cut to the length, then pad with ASCII where the cut split a character.
        byte[] bytes = Encoding.UTF8.GetBytes(text.ToString());
        int end = length;
        while (end > 0 && end < bytes.Length && (bytes[end] & 0xC0) == 0x80)
        {
            end--;
        }

        byte[] result = new byte[length];
        bytes.AsSpan(0, end).CopyTo(result);
        result.AsSpan(end).Fill((byte)'x');
        return result;
    }
}
