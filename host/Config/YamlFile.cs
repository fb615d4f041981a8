using System.Diagnostics;
using PluggableEcho.Host.Errors;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace PluggableEcho.Host.Config;

/// <summary>Reads a YAML file whose document is a mapping, safely: syntax errors at their place, no aliases.</summary>
internal static class YamlFile
{
    /// <param name="expected">What the document should be, for the message when it is not a mapping;
    /// null for a config.</param>
    public static YamlMappingNode ReadRoot(string path, ConfigProblems problems, string? expected = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StartupException($"{path}: cannot read the {(expected is null ? "config " : "")}file: {e.Message}");
        }

        RefuseAliases(text, problems);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            problems.Add(e.Start, YamlErrors.Describe(e)); // Duplicate keys, say.
            problems.ThrowIfAny();
        }

        switch (stream.Documents.Count)
        {
            case 0:
                return new YamlMappingNode();
            case > 1:
                problems.Add(stream.Documents[1].RootNode.Start, "the config must be a single YAML document");
                problems.ThrowIfAny();
                break;
        }

        YamlNode root = stream.Documents[0].RootNode;
        if (YamlValues.IsEmpty(root))
        {
            return new YamlMappingNode();
        }

        if (root is not YamlMappingNode mapping)
        {
            problems.Add(root.Start, expected is null
                ? $"the config must be a mapping of keys ({TopLevelKeys.Listed}) to values"
                : $"the file must be {expected}");
            problems.ThrowIfAny();
            throw new UnreachableException();
        }

        return mapping;
    }

    /// <summary>
    /// Reads the text once as a stream of events, to report a syntax error at its place, and
    /// to refuse aliases (<c>*name</c>): an alias would report its anchor's position instead of
    /// its own, and one that contains itself sends the YAML library into endless recursion.
    /// </summary>
    private static void RefuseAliases(string text, ConfigProblems problems)
    {
        var parser = new Parser(new StringReader(text));
        try
        {
            while (parser.MoveNext())
            {
                if (parser.Current is AnchorAlias alias)
                {
                    problems.Add(alias.Start, $"aliases such as *{alias.Value} are not supported here; write the value out");
                }
            }
        }
        catch (YamlException e)
        {
            problems.Add(e.Start, YamlErrors.Describe(e));
        }
        catch (InvalidOperationException)
        {
            // The YAML library trips over some malformed input (an unclosed [ list followed by a
            // key, say) without saying where: the last thing it read is the best place to show.
            problems.Add(parser.Current?.End ?? Mark.Empty, "the YAML cannot be read past this point (an unclosed [ or {?)");
        }

        problems.ThrowIfAny();
    }
}
