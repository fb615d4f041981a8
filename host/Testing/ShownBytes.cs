using System.Buffers;
using System.Text;

namespace PluggableEcho.Host.Testing;

/// <summary>Bytes shown as a quoted string a person can compare: UTF-8 text as it is, line
/// endings and other control bytes escaped, invalid UTF-8 as \xNN.</summary>
internal static class ShownBytes
{
    public static string Show(ReadOnlySpan<byte> bytes)
    {
        var shown = new StringBuilder("\"");
        while (!bytes.IsEmpty)
        {
            OperationStatus status = Rune.DecodeFromUtf8(bytes, out Rune rune, out int used);
            if (status != OperationStatus.Done)
            {
                shown.Append($"\\x{bytes[0]:x2}");
                bytes = bytes[1..];
                continue;
            }

            shown.Append(rune.Value switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '"' => "\\\"",
                '\\' => "\\\\",
                < 0x20 or 0x7f => $"\\x{rune.Value:x2}",
                _ => rune.ToString(),
            });
            bytes = bytes[used..];
        }

        return shown.Append('"').ToString();
    }
}
