using Microsoft.Extensions.Logging;
using PluggableEcho.Host.Config;

namespace PluggableEcho.Host;

internal static partial class HostLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "config {ConfigFile}: framing {Framing}, pipeline [{Pipeline}], plugins from {PluginFolder}")]
    public static partial void Configured(ILogger logger, string configFile, Framing framing, IReadOnlyList<string> pipeline, string pluginFolder);
}
