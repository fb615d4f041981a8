using System.Text.RegularExpressions;
using YamlDotNet.Core;

namespace PluggableEcho.Host.Config;

internal static partial class YamlErrors
{
    /// <summary>The parser's message without the position prefix it adds, which we print our way.</summary>
    public static string Describe(YamlException e)
    {
        string message = PositionPrefix().Replace(e.Message, "");
        return e.InnerException is { } inner ? $"{message} {inner.Message}" : message;
    }

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\):\s*")]
    private static partial Regex PositionPrefix();
}
