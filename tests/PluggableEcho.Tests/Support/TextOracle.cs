using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;

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

    /// <summary><see cref="string.ToUpperInvariant"/> on bytes that need not be valid UTF-8: each
    /// character as strings upper-case it, each byte that starts none as it is.</summary>
    public static byte[] Uppercase(byte[] bytes)
    {
        var result = new List<byte>();
        ReadOnlySpan<byte> rest = bytes;
        while (!rest.IsEmpty)
        {
            bool valid = Rune.DecodeFromUtf8(rest, out Rune rune, out int consumed) == OperationStatus.Done;
            result.AddRange(valid ? Encoding.UTF8.GetBytes(rune.ToString().ToUpperInvariant()) : rest[..consumed].ToArray());
            rest = rest[consumed..];
        }

        return [.. result];
    }

    /// <summary>
    /// <see cref="Reverse(string)"/> on bytes that need not be valid UTF-8: each stretch of valid
    /// text is cut into its elements on its own, and each byte that does not belong to a valid
    /// character is an element of its own between them.
    /// </summary>
    public static byte[] Reverse(byte[] bytes)
    {
        var elements = new List<byte[]>();
        ReadOnlySpan<byte> rest = bytes;
        while (!rest.IsEmpty)
        {
            char[] chars = new char[rest.Length];
            OperationStatus status = Utf8.ToUtf16(rest, chars, out int validBytes, out int validChars, replaceInvalidSequences: false);
            TextElementEnumerator enumerator = StringInfo.GetTextElementEnumerator(new string(chars, 0, validChars));
            while (enumerator.MoveNext())
            {
                elements.Add(Encoding.UTF8.GetBytes(enumerator.GetTextElement()));
            }

            rest = rest[validBytes..];
            if (status != OperationStatus.Done)
            {
                elements.Add([rest[0]]);
                rest = rest[1..];
            }
        }

        elements.Reverse();
        return [.. elements.SelectMany(element => element)];
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
