using System.Diagnostics;
using PluggableEcho.Host.Errors;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace PluggableEcho.Host.Config;

/// <summary>
/// Reads a YAML file whose document is a mapping, safely: a bounded file, syntax errors at their
/// place, no aliases, no nesting deep enough to exhaust the stack of the recursive YAML reader.
/// </summary>
internal static class YamlFile
{
    /// <summary>Far deeper than any config or cases file; far shallower than what would overflow the stack.</summary>
    public const int MaxDepth = 64;

    /// <param name="expected">What the document should be, for the message when it is not a mapping;
    /// null for a config.</param>
    /// <param name="maxBytes">The largest file taken: a config is small, a cases file may hold long messages.</param>
    public static YamlMappingNode ReadRoot(string path, ConfigProblems problems, string? expected = null, int maxBytes = BoundedText.ConfigBytes)
    {
        string text = BoundedText.Read(path, expected is null ? "config file" : "file", maxBytes);
        CheckEvents(text, problems);
        var stream = new YamlStream();
        var parser = new Parser(new StringReader(text));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            problems.Add(e.Start, YamlErrors.Describe(e)); // Duplicate keys, say.
            problems.ThrowIfAny();
        }
        catch (ArgumentException)
        {
            // The node builder meets an event it does not expect where the event pass met
            // none (a list item "-  : value", say); where it stopped is the place to show.
            problems.Add(parser.Current?.Start ?? Mark.Empty, "the YAML cannot be read here (a key missing before its ':'?)");
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
    /// Reads the text once as a stream of events, which takes no stack, to report a syntax error
    /// at its place, to refuse aliases (<c>*name</c>: an alias would report its anchor's position
    /// instead of its own, and one that contains itself sends the YAML library into endless
    /// recursion), and to stop at the first list or mapping nested past <see cref="MaxDepth"/>.
    /// </summary>
    private static void CheckEvents(string text, ConfigProblems problems)
    {
        var parser = new Parser(new StringReader(text));
        int depth = 0;
        try
        {
            while (parser.MoveNext())
            {
                switch (parser.Current)
                {
                    case AnchorAlias alias:
                        problems.Add(alias.Start, $"aliases such as *{alias.Value} are not supported here; write the value out");
                        break;
                    case SequenceStart or MappingStart when ++depth > MaxDepth:
                        problems.Add(parser.Current.Start, $"lists and mappings nested more than {MaxDepth} deep; nothing here needs that many");
                        problems.ThrowIfAny();
                        break;
                    case SequenceEnd or MappingEnd:
                        depth--;
                        break;
                }
            }
        }
        catch (YamlException e)
        {
            (Mark at, string message) = YamlErrors.Locate(e, text, parser.Current?.End ?? Mark.Empty);
            problems.Add(at, message);
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
