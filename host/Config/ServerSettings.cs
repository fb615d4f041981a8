using System.Net;
using Microsoft.Extensions.Logging;
using PluggableEcho.Host.Networking;
using PluggableEcho.Host.Networking.Proxy;
using PluggableEcho.Host.Observability;
using PluggableEcho.Host.Pipeline;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PluggableEcho.Host.Config;

/// <summary>One pipeline step as written: a transform's name and its still unbound options.</summary>
/// <param name="Type">Null for a mapping without <c>type:</c>, which one of its keys names (see
/// <see cref="StepShorthand"/>): which one is known once the plugins are.</param>
/// <param name="Options">Bound later, once the plugin has said which type they fill; for a step
/// without <c>type:</c>, its whole mapping (less <c>on_error</c>).</param>
/// <param name="OnError">Null: the pipeline's default.</param>
internal sealed record StepSettings(string? Type, YamlNode? Options, Mark Position, ErrorPolicy? OnError = null)
{
    /// <summary>The step of a config that has no <c>pipeline</c> key.</summary>
    public static readonly StepSettings Default = new("uppercase", null, Mark.Empty);

    public bool IsDefault => this == Default;
}

/// <summary>One listener as the config sets it: its own keys, else the top level's.</summary>
/// <param name="Name">For logs and metrics: <c>listener 0</c>, in the order the config lists them.</param>
/// <param name="OnError">For the steps that do not set their own.</param>
/// <param name="ProxyProtocol">The PROXY header a balancer in front sends, if any.</param>
/// <param name="ListenOrigin">Where <paramref name="Listen"/> comes from, for messages:
/// <c>--listen</c>, <c>listen: at echo.yaml:3:1</c>, or the default.</param>
internal sealed record ListenerSettings(
    string Name,
    IPEndPoint Listen,
    Framing Framing,
    IReadOnlyList<StepSettings> Pipeline,
    ErrorPolicy OnError,
    ConnectionLimits Limits,
    ProxyProtocol ProxyProtocol,
    string ListenOrigin);

/// <summary>A config file, read and checked.</summary>
/// <param name="ConfigFile">As the user gave it, for messages.</param>
/// <param name="ConfigFolder">Absolute: where the file's relative paths start.</param>
/// <param name="Listeners">At least one: <c>listeners:</c>, or the top level's keys as the only one.</param>
/// <param name="PluginFolder">Absolute.</param>
/// <param name="LogLevel">Null: not set in the file.</param>
/// <param name="Admin">Null: no admin endpoint (the default).</param>
/// <param name="StepTimeout">A loop in one step this long is reported stuck; zero: never.</param>
/// <param name="OnStuck">What a stuck loop, or a step out of memory, does to the process.</param>
/// <param name="Reload">The <c>reload:</c> section; null: not set (<see cref="ReloadSettings.Default"/>).</param>
internal sealed record ServerSettings(
    string ConfigFile,
    string ConfigFolder,
    IReadOnlyList<ListenerSettings> Listeners,
    string PluginFolder,
    int Loops,
    PollerKind Poller,
    TimeSpan ShutdownTimeout,
    LogLevel? LogLevel = null,
    TimeSpan Spin = default,
    AdminOptions? Admin = null,
    LogFormat LogFormat = LogFormat.Text,
    TimeSpan StepTimeout = default,
    StuckPolicy OnStuck = StuckPolicy.Report,
    long MaxBufferedBytes = long.MaxValue,
    ReloadSettings? Reload = null)
{
    /// <summary>How a reload treats this server: the <c>reload:</c> section, or its defaults.</summary>
    public ReloadSettings ReloadRules => Reload ?? ReloadSettings.Default;

    public static readonly IPEndPoint DefaultListen = new(IPAddress.Loopback, 8088);

    // The first listener's, for what serves one conversation at a time (check --input, test cases).
    public IPEndPoint Listen => Listeners[0].Listen;

    public Framing Framing => Listeners[0].Framing;

    public IReadOnlyList<StepSettings> Pipeline => Listeners[0].Pipeline;

    public ConnectionLimits Limits => Listeners[0].Limits;

    public ErrorPolicy OnError => Listeners[0].OnError;
}
