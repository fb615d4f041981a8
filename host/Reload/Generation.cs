using Microsoft.Extensions.Logging;
using PluggableEcho.Host.Config;
using PluggableEcho.Host.Errors;
using PluggableEcho.Host.Networking;
using PluggableEcho.Host.Pipeline;
using PluggableEcho.Host.Plugins;

namespace PluggableEcho.Host.Reload;

/// <summary>
/// One configuration made ready to serve, off the event loops: the config as read, the plugins
/// it loaded (each in a load context of its own, which ends with it), and each listener's steps
/// bound, from which every loop builds its own pipeline. Immutable once built; the server's
/// <see cref="ServedGeneration"/> of the same number says when the last connection using it has
/// gone, and then it is disposed.
/// </summary>
internal sealed class Generation : IDisposable
{
    private Generation(int number, ServerSettings settings, PluginSet plugins, IReadOnlyList<RunningPipelines> pipelines, IReadOnlyList<ListenerOptions> listeners)
    {
        Number = number;
        Settings = settings;
        Plugins = plugins;
        Pipelines = pipelines;
        Listeners = listeners;
    }

    public int Number { get; }

    public ServerSettings Settings { get; }

    public PluginSet Plugins { get; }

    /// <summary>The SHA-256 of the config file's bytes, read just after the config was; null without a file.</summary>
    public string? ConfigHash { get; private init; }


    /// <summary>Each listener's pipelines, as the loops build them, in the config's order.</summary>
    public IReadOnlyList<RunningPipelines> Pipelines { get; }

    /// <summary>Each listener as the server takes it, in the config's order.</summary>
    public IReadOnlyList<ListenerOptions> Listeners { get; }

    /// <summary>Loads the plugins and binds every listener's steps: all that can be done before
    /// the loops build their pipelines.</summary>
    /// <param name="running">The generation a reload replaces: the plugins whose files have not
    /// changed are shared with it rather than loaded again.</param>
    /// <exception cref="StartupException">Every problem, as <c>check</c> reports it.</exception>
    public static Generation Build(int number, ServerSettings settings, ILoggerFactory loggerFactory, Generation? running = null)
    {
        PluginSet plugins = PluginSet.Load(settings.PluginFolder, loggerFactory, running?.Plugins);
        try
        {
            IReadOnlyList<IReadOnlyList<StepPlan>> plans = StepBinder.BindAll(settings, plugins);
            var pipelines = new List<RunningPipelines>();
            var listeners = new List<ListenerOptions>();
            for (int i = 0; i < plans.Count; i++)
            {
                ListenerSettings listener = settings.Listeners[i];
                pipelines.Add(new RunningPipelines(new PipelineFactory(plans[i], loggerFactory), listener.Name));
                listeners.Add(new ListenerOptions(
                    listener.Name, listener.Listen, Framers.For(listener.Framing), pipelines[^1].Create, listener.Limits, listener.ProxyProtocol));
            }

            return new Generation(number, settings, plugins, pipelines, listeners) { ConfigHash = RunningConfigs.HashOf(settings.ConfigFile) };
        }
        catch
        {
            plugins.Dispose();
            throw;
        }
    }

    /// <summary>The server options for a first start with it.</summary>
    public ServerOptions ServerOptions() => new(
        Listeners, Settings.Loops, Settings.Poller, Settings.ShutdownTimeout, Settings.Spin, Settings.StepTimeout, Settings.MaxBufferedBytes);

    /// <summary>Unloads its plugins: only once no pipeline of it is left.</summary>
    public void Dispose() => Plugins.Dispose();
}
