using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PluggableEcho.Host.Config;

internal static class YamlValues
{
    /// <summary>A key with nothing after it, <c>~</c> or <c>null</c>: YAML's ways of saying "no value".</summary>
    public static bool IsEmpty(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    /// <summary>A mapping key's text; a key that is not text (a list, say) as YAML writes it.</summary>
    public static string Key(YamlNode key) => key is YamlScalarNode { Value: { } text } ? text : key.ToString();

    /// <summary>The text of a key's value, which must be some; otherwise null, and the problem is reported.</summary>
    /// <param name="expected">For the message: <c>listen: expected an address such as 127.0.0.1:8088</c>.</param>
    public static string? Scalar(YamlNode node, string key, string expected, ConfigProblems problems)
    {
        if (node is YamlScalarNode { Value: { Length: > 0 } text })
        {
            return text;
        }

        problems.Add(node.Start, $"{key}: expected {expected}");
        return null;
    }
}
