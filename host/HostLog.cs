using Microsoft.Extensions.Logging;

namespace PluggableEcho.Host;

internal static partial class HostLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "config {ConfigFile}: framing {Framing}, pipeline [{Pipeline}], plugins from {PluginFolder}, for {Listener}")]
    public static partial void Configured(ILogger logger, string configFile, string framing, IReadOnlyList<string> pipeline, string pluginFolder, string listener);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "admin endpoint on http://{EndPoint} (/metrics, /healthz, /readyz, /config, POST /drain, POST /reload)")]
    public static partial void AdminListening(ILogger logger, System.Net.EndPoint endPoint);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "{Path} was not loaded: {Reason}")]
    public static partial void NotLoaded(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "on_stuck: exit: the server stops, and will exit with code {ExitCode}, because {Reason}")]
    public static partial void StoppingOnFault(ILogger logger, int exitCode, string reason);
}
