using System.Globalization;
using System.Text;

namespace PluggableEcho.Tests.Support;

/// <summary>What the sample transforms should give for valid text, worked out on strings with
/// the framework's own Unicode support rather than on bytes as the transforms do.</summary>
internal static class TextOracle
{
    public static string Apply(string transform, string text) => transform switch
    {
        "uppercase" => text.ToUpperInvariant(),
        "rot13" => Rot13(text),
        "reverse" => Reverse(text),
        _ => throw new ArgumentException($"no oracle for '{transform}'", nameof(transform)),
    };

    public static string Apply(IEnumerable<string> pipeline, string text) => pipeline.Aggregate(text, (result, step) => Apply(step, result));

    public static string Reverse(string text)
    {
        var elements = new List<string>();
        TextElementEnumerator enumerator = StringInfo.GetTextElementEnumerator(text);
        while (enumerator.MoveNext())
        {
            elements.Add(enumerator.GetTextElement());
        }

        elements.Reverse();
        return string.Concat(elements);
    }

    public static string Rot13(string text) => string.Concat(text.Select(c => c switch
    {
        >= 'a' and <= 'z' => (char)('a' + ((c - 'a' + 13) % 26)),
        >= 'A' and <= 'Z' => (char)('A' + ((c - 'A' + 13) % 26)),
        _ => c,
    }));

    public static byte Rot13(byte b) => (byte)Rot13(((char)b).ToString())[0];

    /// <summary>Bytes shown so a failing case can be read and replayed.</summary>
    public static string Show(ReadOnlySpan<byte> bytes) => $"[{Convert.ToHexString(bytes)}] \"{Escape(Encoding.UTF8.GetString(bytes))}\"";

    public static string Show(string text) => Show(Encoding.UTF8.GetBytes(text));

    private static string Escape(string text) => string.Concat(text.EnumerateRunes().Select(r =>
        r.Value is < 0x20 or (>= 0x7F and < 0xA0) || Rune.GetUnicodeCategory(r) is UnicodeCategory.NonSpacingMark or UnicodeCategory.Format
            ? $"\\u{r.Value:X4}"
            : r.ToString()));
}
