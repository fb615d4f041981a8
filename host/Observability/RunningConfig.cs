namespace PluggableEcho.Host.Observability;

/// <summary>What <c>/config</c> shows of the running configuration.</summary>
/// <param name="File">As the user gave it.</param>
/// <param name="Sha256">Of the file's bytes as read at start-up; null without a file.</param>
/// <param name="Generation">1 for the configuration the server started with.</param>
/// <param name="Listeners">Each with its address as bound, its framing and its steps.</param>
internal sealed record RunningConfig(
    string File,
    string? Sha256,
    int Generation,
    IReadOnlyList<RunningPlugin> Plugins,
    IReadOnlyList<RunningListener> Listeners,
    int Loops,
    string Poller);

internal sealed record RunningPlugin(string Name, string? Version, string Path, IReadOnlyList<string> Transforms);

/// <param name="ProxyProtocol">The PROXY header it expects: off, v1, v2 or any.</param>
internal sealed record RunningListener(string Name, string Address, string Framing, IReadOnlyList<string> Steps, string ProxyProtocol);
