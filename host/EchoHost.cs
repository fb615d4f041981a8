using System.Net;
using Microsoft.Extensions.Logging;
using PluggableEcho.Host.Config;
using PluggableEcho.Host.Errors;
using PluggableEcho.Host.Networking;
using PluggableEcho.Host.Pipeline;
using PluggableEcho.Host.Plugins;

namespace PluggableEcho.Host;

/// <summary>Puts the parts together: config, plugins, pipeline, then a listening server.</summary>
internal sealed class EchoHost : IDisposable
{
    private readonly PluginSet _plugins;
    private readonly EchoServer _server;

    private EchoHost(PluginSet plugins, EchoServer server)
    {
        _plugins = plugins;
        _server = server;
    }

    /// <summary>The plugins folder beside the executable, where the build puts the samples.</summary>
    public static string BundledPluginFolder => Path.Combine(AppContext.BaseDirectory, "plugins");

    public IPEndPoint LocalEndPoint => _server.LocalEndPoint;

    /// <summary>The running server, for tests that reach into its loops.</summary>
    internal EchoServer Server => _server;

    /// <inheritdoc cref="EchoServer.Completion"/>
    public Task Completion => _server.Completion;

    /// <exception cref="StartupException">The config or a plugin is wrong; nothing listens.</exception>
    /// <exception cref="System.Net.Sockets.SocketException">The address cannot be bound.</exception>
    public static EchoHost Start(string? configPath, string? listenOverride, ILoggerFactory loggerFactory, string? defaultPluginFolder = null) =>
        Start(ConfigLoader.Load(configPath, defaultPluginFolder ?? BundledPluginFolder, listenOverride), loggerFactory);

    /// <inheritdoc cref="Start(string?, string?, ILoggerFactory, string?)"/>
    public static EchoHost Start(ServerSettings settings, ILoggerFactory loggerFactory)
    {
        PluginSet plugins = PluginSet.Load(settings.PluginFolder, loggerFactory);
        try
        {
            PipelineFactory pipelines = new PipelineFactory(StepBinder.Bind(settings, plugins), loggerFactory);
            ILogger logger = loggerFactory.CreateLogger<EchoHost>();
            HostLog.Configured(logger, settings.ConfigFile, settings.Framing, pipelines.StepNames, settings.PluginFolder);
            var listener = new ListenerOptions("listener 0", settings.Listen, Framers.For(settings.Framing), pipelines.Create, settings.Limits);
            var options = new ServerOptions([listener], settings.Loops, settings.Poller, settings.ShutdownTimeout, settings.Spin);
            var server = new EchoServer(options, loggerFactory);
            try
            {
                server.Start();
            }
            catch
            {
                server.Dispose(); // Disposes the pipelines too.
                throw;
            }

            return new EchoHost(plugins, server);
        }
        catch
        {
            plugins.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        try
        {
            _server.Dispose();
        }
        finally
        {
            _plugins.Dispose();
        }
    }
}
