using PluggableEcho.Host.Config;
using PluggableEcho.Host.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PluggableEcho.Host.Testing;

/// <summary>One transcript test: a pipeline, the bytes a client sends, the exact reply expected.</summary>
/// <param name="File">The cases file, as given.</param>
/// <param name="ConfigPath">A config file; null when the case writes its config inline.</param>
/// <param name="InlineConfig">The case's own config keys (pipeline, framing, …).</param>
/// <param name="Send">Each chunk is one read of the server's.</param>
internal sealed record TranscriptCase(
    string Name, string File, Mark Position, string? ConfigPath, YamlMappingNode InlineConfig, IReadOnlyList<byte[]> Send, byte[] Expect)
{
    /// <summary>file:line:column, for messages.</summary>
    public string Where => $"{File}:{Position.Line}:{Position.Column}";
}

/// <summary>
/// Reads a cases file: <c>cases:</c>, a list of cases, each with a <c>name</c>, either a
/// <c>config</c> file or config keys of its own (<c>pipeline</c>, <c>framing</c>, …), what it
/// <c>send</c>s (text, or a list of chunks) and what it <c>expect</c>s back. Text is UTF-8; a
/// chunk or reply can also be <c>{ hex: "c3 a9" }</c>. Every mistake names its line and column.
/// </summary>
internal static class CaseFile
{
    private static readonly string[] CaseKeys = ["name", "config", "send", "expect"];

    /// <exception cref="StartupException">The file cannot be read, or is wrong.</exception>
    public static IReadOnlyList<TranscriptCase> Read(string path)
    {
        var problems = new ConfigProblems(path);
        YamlMappingNode root = YamlFile.ReadRoot(path, problems, "a mapping with a 'cases:' list", BoundedText.CasesBytes);
        YamlSequenceNode? list = null;
        foreach ((YamlNode key, YamlNode value) in root.Children)
        {
            if (YamlValues.Key(key) != "cases")
            {
                problems.Add(key.Start, $"unknown key '{YamlValues.Key(key)}' (known keys: cases)");
            }
            else if (value is YamlSequenceNode sequence)
            {
                list = sequence;
            }
            else
            {
                problems.Add(value.Start, "cases: expected a list of cases");
            }
        }

        if (list is null)
        {
            problems.AddElsewhere($"{path}: no cases: add a 'cases:' list");
        }

        var cases = new List<TranscriptCase>();
        foreach (YamlNode node in list ?? [])
        {
            if (ReadCase(node, path, problems) is { } read)
            {
                cases.Add(read);
            }
        }

        problems.ThrowIfAny();
        return cases;
    }

    private static TranscriptCase? ReadCase(YamlNode node, string path, ConfigProblems problems)
    {
        if (node is not YamlMappingNode mapping)
        {
            problems.Add(node.Start, "a case is a mapping with name, send, expect, and a config or a pipeline");
            return null;
        }

        string? name = null;
        string? config = null;
        IReadOnlyList<byte[]>? send = null;
        byte[]? expect = null;
        var inline = new YamlMappingNode();
        foreach ((YamlNode key, YamlNode value) in mapping.Children)
        {
            switch (YamlValues.Key(key))
            {
                case "name":
                    name = YamlValues.Scalar(value, "name", "text", problems);
                    break;
                case "config" when YamlValues.Scalar(value, "config", "text", problems) is { } file:
                    config = Path.Combine(Path.GetDirectoryName(path) ?? "", file);
                    break;
                case "send":
                    send = value is YamlSequenceNode chunks
                        ? [.. chunks.Select(chunk => Bytes(chunk, "send", problems))]
                        : [Bytes(value, "send", problems)];
                    break;
                case "expect":
                    expect = Bytes(value, "expect", problems);
                    break;
                case var other when TopLevelKeys.Contains(other):
                    inline.Add(key, value);
                    break;
                case "config":
                    break; // Text() has reported it.
                case var other:
                    problems.Add(key.Start, $"unknown case key '{other}' (known: {string.Join(", ", CaseKeys)}, or a config's keys)");
                    break;
            }
        }

        foreach ((string key, bool missing) in new[] { ("name", name is null), ("send", send is null), ("expect", expect is null) })
        {
            if (missing)
            {
                problems.Add(mapping.Start, $"this case has no '{key}:'");
            }
        }

        if (config is not null && inline.Children.Count > 0)
        {
            problems.Add(inline.Children.First().Key.Start, "a case names a config file or writes its config inline, not both");
        }

        return name is null || send is null || expect is null ? null : new TranscriptCase(name, path, mapping.Start, config, inline, send, expect);
    }

    private static byte[] Bytes(YamlNode node, string key, ConfigProblems problems)
    {
        switch (node)
        {
            case YamlScalarNode { Value: { } text }:
                return System.Text.Encoding.UTF8.GetBytes(text);
            case YamlMappingNode { Children.Count: 1 } mapping when YamlValues.Key(mapping.Children.First().Key) == "hex":
                YamlNode hex = mapping.Children.First().Value;
                if (hex is YamlScalarNode { Value: { } digits } && TryParseHex(digits, out byte[] bytes))
                {
                    return bytes;
                }

                problems.Add(hex.Start, $"{key}: hex: expected pairs of hex digits, spaces allowed, such as \"c3 a9 0a\"");
                return [];
            default:
                problems.Add(node.Start, $"{key}: expected text, or {{ hex: \"…\" }} for any bytes");
                return [];
        }
    }

    private static bool TryParseHex(string digits, out byte[] bytes)
    {
        string compact = string.Concat(digits.Where(c => !char.IsWhiteSpace(c)));
        bytes = [];
        if (compact.Length % 2 != 0 || !compact.All(char.IsAsciiHexDigit))
        {
            return false;
        }

        bytes = Convert.FromHexString(compact);
        return true;
    }
}
