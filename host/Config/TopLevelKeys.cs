namespace PluggableEcho.Host.Config;

/// <summary>The keys of a config's top level, in the order messages list them.</summary>
internal static class TopLevelKeys
{
    public static readonly IReadOnlyList<string> All = ["listen", "framing", "plugins", "pipeline", "on_error", "proxy_protocol", "log_level", "loops", "poller", "spin", "limits", "listeners", "admin", "log_format", "reload"];

    /// <summary>For messages: <c>listen, framing, …</c>.</summary>
    public static readonly string Listed = string.Join(", ", All);

    /// <summary>Whether a key belongs to the config (and not to whatever holds it: a test case, say).</summary>
    public static bool Contains(string key) => All.Contains(key);
}
