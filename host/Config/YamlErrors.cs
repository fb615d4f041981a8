using System.Text.RegularExpressions;
using YamlDotNet.Core;

namespace PluggableEcho.Host.Config;

/// <summary>The YAML parser's errors, placed and phrased for the person who wrote the file.</summary>
internal static partial class YamlErrors
{
    public const string TabInIndentation = "a tab in the indentation: YAML indents with spaces, not tabs";

    // What to do about what the parser says, for the mistakes people make most.
    private static readonly (string Said, string Advice)[] Advice =
    [
        ("did not find expected key", "this line is indented unlike the keys beside it: line each key up with the others "
            + "of its mapping (a step's options: goes right under its type:, its own keys further in)"),
        ("did not find expected '-' indicator", "this line, in a list, is indented less than the keys of the item above "
            + "and starts no new '- ' item: line it up with those keys (a step's options: goes right under its type:)"),
    ];

    /// <summary>
    /// Where the mistake is and what it is. A tab in the indentation is shown at the tab: the
    /// parser places it at the start of the mapping it was reading, at the end of the line
    /// before, or (taking the tab for a blank) at the next word, as some other mistake.
    /// </summary>
    /// <param name="readUpTo">The end of the last thing the parser read whole; the mistake is after it.</param>
    public static (Mark At, string Message) Locate(YamlException e, string text, Mark readUpTo) =>
        FirstTabInIndentation(text, readUpTo) is { } tab
            && (tab.Line <= e.Start.Line || e.Message.Contains("tab", StringComparison.OrdinalIgnoreCase))
            ? (tab, TabInIndentation)
            : (e.Start, Describe(e));

    /// <summary>The parser's message without the position prefix it adds, which we print our way,
    /// and what to do where we know.</summary>
    public static string Describe(YamlException e)
    {
        string message = PositionPrefix().Replace(e.Message, "");
        message = e.InnerException is { } inner ? $"{message} {inner.Message}" : message;
        foreach ((string said, string advice) in Advice)
        {
            if (message.Contains(said, StringComparison.Ordinal))
            {
                return $"{message.TrimEnd('.')}: {advice}";
            }
        }

        return message;
    }

    /// <summary>The first tab among a line's leading blanks at or after <paramref name="from"/>.</summary>
    private static Mark? FirstTabInIndentation(string text, Mark from)
    {
        int line = 1;
        for (int start = 0; start <= text.Length; line++)
        {
            int end = text.IndexOf('\n', start) is var newline and >= 0 ? newline : text.Length;
            for (int i = start; line >= from.Line && i < end && text[i] is ' ' or '\t'; i++)
            {
                int column = i - start + 1;
                if (text[i] == '\t' && (line > from.Line || column >= from.Column))
                {
                    return new Mark(i, line, column);
                }
            }

            start = end + 1;
        }

        return null;
    }

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\):\s*")]
    private static partial Regex PositionPrefix();
}
