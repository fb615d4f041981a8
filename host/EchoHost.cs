using System.Net;
using Microsoft.Extensions.Logging;
using PluggableEcho.Host.Config;
using PluggableEcho.Host.Errors;
using PluggableEcho.Host.Networking;
using PluggableEcho.Host.Observability;
using PluggableEcho.Host.Pipeline;
using PluggableEcho.Host.Plugins;
using PluggableEcho.Host.Reload;

namespace PluggableEcho.Host;

/// <summary>Puts the parts together: config, plugins, pipeline, then a listening server, and
/// what reloads it while it runs.</summary>
internal sealed class EchoHost : IDisposable
{
    private readonly Reloader _reloader;
    private readonly ReloadWatch _watch;
    private readonly EchoServer _server;
    private readonly EchoMeter _meter;
    private readonly ServerStatus _status;
    private readonly AdminEndpoint? _admin;
    private readonly PrometheusText? _metrics;

    private EchoHost(Reloader reloader, ReloadWatch watch, EchoServer server, EchoMeter meter, ServerStatus status, AdminEndpoint? admin, PrometheusText? metrics, Task<LoopFault> firstFault)
    {
        FirstFault = firstFault;
        _reloader = reloader;
        _watch = watch;
        _server = server;
        _meter = meter;
        _status = status;
        _admin = admin;
        _metrics = metrics;
    }

    /// <summary>The plugins folder beside the executable, where the build puts the samples.</summary>
    public static string BundledPluginFolder => Path.Combine(AppContext.BaseDirectory, "plugins");

    public IPEndPoint LocalEndPoint => _server.LocalEndPoint;

    /// <summary>Every listener's address, in the config's order.</summary>
    public IReadOnlyList<IPEndPoint> LocalEndPoints => _server.LocalEndPoints;

    /// <summary>Where the admin endpoint listens; null without one.</summary>
    public IPEndPoint? AdminEndPoint => _admin?.LocalEndPoint;

    /// <summary>The running server, for tests that reach into its loops.</summary>
    internal EchoServer Server => _server;

    /// <summary>Its instruments, for tests that read them.</summary>
    internal EchoMeter Meter => _meter;

    /// <inheritdoc cref="EchoServer.Completion"/>
    public Task Completion => _server.Completion;

    /// <summary>Completes when a loop is first found stuck in a step, or a step out of memory.</summary>
    public Task<LoopFault> FirstFault { get; }

    /// <param name="listen">In place of the config's address, as <c>--listen</c> gives it.</param>
    /// <exception cref="StartupException">The config or a plugin is wrong, or an address cannot be
    /// bound (taken, say); nothing listens.</exception>
    public static EchoHost Start(string? configPath, IPEndPoint? listen, ILoggerFactory loggerFactory, string? defaultPluginFolder = null)
    {
        var source = new ConfigSource(configPath, defaultPluginFolder ?? BundledPluginFolder, new CommandLineOverrides(listen));
        return Start(source.Load(), loggerFactory, source);
    }

    /// <inheritdoc cref="Start(string?, IPEndPoint?, ILoggerFactory, string?)"/>
    /// <param name="source">Where a reload reads the config again; none: <paramref name="settings"/>'
    /// file with the bundled plugins as default and no overrides.</param>
    /// <exception cref="IOException">The admin endpoint's address cannot be bound.</exception>
    public static EchoHost Start(ServerSettings settings, ILoggerFactory loggerFactory, ConfigSource? source = null)
    {
        source ??= new ConfigSource(settings.ConfigFile == ConfigLoader.NoFile ? null : settings.ConfigFile, BundledPluginFolder, CommandLineOverrides.None);
        Generation first = Generation.Build(1, settings, loggerFactory);
        var disposables = new Stack<IDisposable>([first]);
        try
        {
            ILogger logger = loggerFactory.CreateLogger<EchoHost>();
            foreach (NotLoaded notLoaded in first.Plugins.NotLoaded)
            {
                HostLog.NotLoaded(logger, notLoaded.Path, notLoaded.Reason); // The pipeline does not need it: it names no transform that is missing.
            }

            for (int i = 0; i < first.Listeners.Count; i++)
            {
                ListenerSettings listener = settings.Listeners[i];
                string framing = FramingNames.Of(listener.Framing); // As the config writes it.
                HostLog.Configured(logger, settings.ConfigFile, framing, first.Pipelines[i].StepNames, settings.PluginFolder, listener.Name);
            }

            var status = new ServerStatus();
            EchoServer server = Listen(first.ServerOptions(), settings, loggerFactory);
            var reloader = new Reloader(server, first, source, loggerFactory); // It ends the first generation as it ends the others.
            disposables.Clear();
            disposables.Push(server); // Disposes the pipelines and, through the reloader, the plugins.
            var firstFault = new TaskCompletionSource<LoopFault>(TaskCreationOptions.RunContinuationsAsynchronously);
            server.Watchdog.Faulted += fault =>
            {
                status.Fault(fault.Source, fault.Reason); // Out of rotation while it lasts.
                firstFault.TrySetResult(fault);
            };
            server.Watchdog.Recovered += fault => status.Recover(fault.Source);
            var meter = new EchoMeter(
                server, () => reloader.Live.SelectMany(generation => generation.Pipelines).SelectMany(pipelines => pipelines.StepFailures()), () => reloader.Figures);
            disposables.Push(meter);

            // Subscribed before anything can reload: the admin endpoint's POST /reload, say.
            var watch = new ReloadWatch(reloader, logger);
            disposables.Push(watch);
            reloader.Reloaded += generation => watch.Follow(generation.Settings);

            // The admin endpoint before the loops: a probe sees the server start, then ready.
            PrometheusText? metrics = null;
            AdminEndpoint? admin = null;
            if (settings.Admin is { } adminOptions)
            {
                metrics = new PrometheusText(EchoMeter.MeterName);
                disposables.Push(metrics);
                admin = AdminEndpoint.Start(
                    adminOptions, status, metrics, () => RunningConfigs.Of(reloader.Running, server), loggerFactory, () => reloader.Reload("POST /reload"));
                disposables.Push(new Disposing(admin));
                HostLog.AdminListening(logger, admin.LocalEndPoint);
            }

            server.Start();
            watch.Follow(settings);
            status.MarkReady();
            return new EchoHost(reloader, watch, server, meter, status, admin, metrics, firstFault.Task);
        }
        catch
        {
            while (disposables.TryPop(out IDisposable? disposable))
            {
                disposable.Dispose();
            }

            throw;
        }
    }

    /// <summary>Reads the config again and serves it, all or nothing: see <see cref="Reloader"/>.</summary>
    /// <param name="trigger">For the log: <c>SIGHUP</c>, <c>POST /reload</c>, <c>watch</c>.</param>
    public ReloadOutcome Reload(string trigger) => _reloader.Reload(trigger);

    /// <summary>What reloads it, and what it runs now.</summary>
    internal Reloader Reloader => _reloader;

    /// <exception cref="StartupException">An address cannot be bound: which, where it was set, and why.</exception>
    private static EchoServer Listen(ServerOptions options, ServerSettings settings, ILoggerFactory loggerFactory)
    {
        try
        {
            return new EchoServer(options, loggerFactory);
        }
        catch (ListenFailedException e)
        {
            string origin = settings.Listeners.Single(listener => listener.Name == e.Listener).ListenOrigin;
            throw new StartupException($"cannot listen on {e.Address} ({origin}): {e.ReasonText}");
        }
    }

    public void Dispose()
    {
        _status.MarkDraining(); // Out of rotation first: /readyz says so while the loops drain.
        _watch.Dispose(); // Its reload under way, if any, finishes first.
        _reloader.Stop(); // So does one from elsewhere: the loops must not stop under it.
        try
        {
            _server.Dispose();
        }
        finally
        {
            // The admin endpoint last but for what it reads, each whatever the others do.
            DisposeEach(_admin is null ? null : new Disposing(_admin), _metrics, _meter);
        }
    }

    private static void DisposeEach(params IDisposable?[] parts)
    {
        var failures = new List<Exception>();
        foreach (IDisposable? part in parts)
        {
            try
            {
                part?.Dispose();
            }
            catch (Exception e)
            {
                failures.Add(e);
            }
        }

        if (failures.Count > 0)
        {
            throw new AggregateException(failures);
        }
    }

    /// <summary>Stops the admin endpoint where a plain Dispose is wanted.</summary>
    private sealed class Disposing(AdminEndpoint admin) : IDisposable
    {
        public void Dispose() => admin.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
