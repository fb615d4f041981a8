using System.Net;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PluggableEcho.Host.Config;

/// <summary>
/// The <c>listeners:</c> list: each item a mapping of the listener keys, each key it leaves out
/// taken from the top level's; every item names its own address, and no two share a port.
/// </summary>
internal static class ListenersReader
{
    /// <summary>For logs, metrics and messages: <c>listener 0</c>, in the order of the config.</summary>
    public static string NameOf(int index) => $"listener {index}";

    public static List<ListenerSettings> Read(YamlNode node, ListenerDraft defaults, ConfigProblems problems)
    {
        if (defaults.ListenAt is { } listenAt)
        {
            problems.Add(listenAt, "listen: with listeners:, each listener names its own listen: (the other top-level keys are their defaults)");
        }

        if (node is not YamlSequenceNode { Children.Count: > 0 } items)
        {
            problems.Add(node.Start, "listeners: expected a list of listeners, each a mapping with its own listen:, such as [{ listen: 127.0.0.1:8088 }]");
            return [defaults.Finish(NameOf(0), ServerSettings.DefaultListen, problems)];
        }

        var listeners = new List<ListenerSettings>();
        var written = new List<(int Index, IPEndPoint Address, Mark At)>(); // Those whose address is known.
        for (int i = 0; i < items.Children.Count; i++)
        {
            ListenerDraft draft = ReadOne(items.Children[i], i, defaults, problems);
            listeners.Add(draft.Finish(NameOf(i), ServerSettings.DefaultListen, problems));
            if (draft.HasAddress)
            {
                written.Add((i, listeners[i].Listen, draft.ListenAt!.Value));
            }
        }

        RefuseSharedPorts(written, problems);
        return listeners;
    }

    /// <summary>The command line's <c>--listen</c> and <c>--framing</c>: the address and the
    /// framing of a config's only listener.</summary>
    public static void Override(List<ListenerSettings> listeners, CommandLineOverrides overrides, ConfigProblems problems)
    {
        if (overrides.Listen is { } listen && OnlyListener(listeners, "--listen", "address", problems))
        {
            listeners[0] = listeners[0] with { Listen = listen, ListenOrigin = "--listen" };
        }

        if (overrides.Framing is { } framing && OnlyListener(listeners, "--framing", "framing", problems))
        {
            listeners[0] = listeners[0] with { Framing = framing };
        }
    }

    // Which of several listeners an option means cannot be guessed: their config says it.
    private static bool OnlyListener(List<ListenerSettings> listeners, string option, string what, ConfigProblems problems)
    {
        if (listeners.Count > 1)
        {
            problems.AddElsewhere($"{option}: {problems.File} has {listeners.Count} listeners; {option} replaces the {what} of a config with one");
            return false;
        }

        return true;
    }

    private static ListenerDraft ReadOne(YamlNode item, int index, ListenerDraft defaults, ConfigProblems problems)
    {
        string context = $"listeners[{index}]: ";
        ListenerDraft draft = defaults.Inherit();
        if (item is not YamlMappingNode mapping)
        {
            problems.Add(item.Start, $"{context}expected a mapping of listener keys ({string.Join(", ", ListenerDraft.Keys)})");
            return draft;
        }

        foreach ((YamlNode keyNode, YamlNode value) in mapping.Children)
        {
            string key = YamlValues.Key(keyNode);
            if (!draft.TryRead(key, keyNode, value, context, problems))
            {
                problems.Add(keyNode.Start, $"{context}unknown key '{key}' (a listener takes {string.Join(", ", ListenerDraft.Keys)})");
            }
        }

        if (draft.ListenAt is null)
        {
            problems.Add(mapping.Start, $"{context}listen: is required: each listener names its own address");
        }

        return draft;
    }

    /// <summary>Two listeners on one port would fail to bind, or (with SO_REUSEPORT) quietly share clients.</summary>
    private static void RefuseSharedPorts(List<(int Index, IPEndPoint Address, Mark At)> listeners, ConfigProblems problems)
    {
        for (int i = 1; i < listeners.Count; i++)
        {
            (int index, IPEndPoint a, Mark at) = listeners[i];
            foreach ((int otherIndex, IPEndPoint b, _) in listeners.Take(i))
            {
                bool overlap = a.AddressFamily == b.AddressFamily && (a.Address.Equals(b.Address) || IsAny(a.Address) || IsAny(b.Address));
                if (a.Port != 0 && a.Port == b.Port && overlap)
                {
                    problems.Add(at, $"listeners[{index}]: listen: {a} takes the port of listeners[{otherIndex}] ({b}); give each listener a port of its own");
                    break;
                }
            }
        }
    }

    private static bool IsAny(IPAddress address) => address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);
}
