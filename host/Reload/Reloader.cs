using System.Diagnostics;
using Microsoft.Extensions.Logging;
using PluggableEcho.Host.Config;
using PluggableEcho.Host.Errors;
using PluggableEcho.Host.Networking;
using PluggableEcho.Host.Observability;
using PluggableEcho.Host.Plugins;

namespace PluggableEcho.Host.Reload;

/// <summary>
/// Reloads a running server, all or nothing: the config read again, its plugins loaded afresh
/// into new load contexts, every loop's pipelines built and new addresses bound, all off the
/// loops, before anything changes; then each loop takes the new generation between two events.
/// Any problem leaves the running generation as it was and is reported as <c>check</c> reports
/// it. One reload at a time, whatever triggers it (a signal, the admin endpoint, the watcher).
/// </summary>
internal sealed partial class Reloader
{
    private readonly Lock _gate = new(); // One reload at a time, and none once the server stops.
    private readonly EchoServer _server;
    private readonly ConfigSource _source;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly List<Generation> _live = []; // Every generation some connection still uses.
    private Generation _running;
    private bool _stopped;
    private long _reloaded;
    private long _failed;

    /// <param name="first">The generation the server started with; it ends as later ones do.</param>
    public Reloader(EchoServer server, Generation first, ConfigSource source, ILoggerFactory loggerFactory)
    {
        _server = server;
        _source = source;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<Reloader>();
        _running = first;
        Attach(first, server.Generation);
    }

    /// <summary>The generation new connections get.</summary>
    public Generation Running
    {
        get
        {
            lock (_live)
            {
                return _running;
            }
        }
    }

    /// <summary>Every generation still in use, oldest first: the running one and those whose
    /// connections have not all moved on or closed yet.</summary>
    public IReadOnlyList<Generation> Live
    {
        get
        {
            lock (_live)
            {
                return [.. _live];
            }
        }
    }

    /// <summary>What the reloads come to so far, for the instruments. Safe from any thread.</summary>
    public ReloadFigures Figures
    {
        get
        {
            lock (_live)
            {
                return new ReloadFigures(_running.Number, Interlocked.Read(ref _reloaded), Interlocked.Read(ref _failed), _live.Count);
            }
        }
    }

    /// <summary>Raised after each reload that succeeded, on the thread that did it.</summary>
    public event Action<Generation>? Reloaded;

    /// <summary>Raised when a generation has ended and its plugins were unloaded, on the thread
    /// that let go of it last (keep it short: that may be an event loop's).</summary>
    public event Action<Generation>? Ended;

    /// <summary>Raised once the plugins of an ended generation have been checked, with those whose
    /// load context is still alive past <see cref="UnloadBound"/> (empty: all unloaded).</summary>
    public event Action<IReadOnlyList<UnloadingPlugin>>? UnloadChecked;

    /// <summary>How long an ended generation's plugins have to be collected before a warning says which are not.</summary>
    public static TimeSpan UnloadBound { get; } = TimeSpan.FromSeconds(10);

    /// <param name="trigger">For the log: <c>SIGHUP</c>, <c>POST /reload</c>, <c>watch</c>.</param>
    public ReloadOutcome Reload(string trigger)
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return Failed(trigger, ["the server is stopping"], []);
            }

            var clock = Stopwatch.StartNew();
            Generation running = _running;
            Generation? next = null;
            EchoServer.PreparedReconfiguration? prepared = null;
            var warnings = new List<string>();
            try
            {
                ServerSettings settings = _source.Load();
                string[] restart = [.. RestartOnlyKeys.Problems(running.Settings, settings)];
                if (restart.Length > 0)
                {
                    throw new StartupException(restart);
                }

                warnings.AddRange(RestartOnlyKeys.Warnings(running.Settings, settings));
                settings = RestartOnlyKeys.AsRunning(running.Settings, settings); // What is in effect: for /config, and the next reload's comparison.
                next = Generation.Build(running.Number + 1, settings, _loggerFactory, running);
                warnings.AddRange(next.Plugins.Warnings);
                prepared = Prepare(next);
                Attach(next, prepared.Generation); // From here on it ends with its served generation.
                IReadOnlyList<string> changes = GenerationChanges.Between(running, next, prepared.ListenerChanges);
                EchoServer.Reconfigured reconfigured = _server.ReconfigureAsync(prepared, settings.ReloadRules.MoveAfter).GetAwaiter().GetResult();
                if (reconfigured.Stopping)
                {
                    return Failed(trigger, ["the server is stopping"], warnings); // Its loops end; nothing more to do.
                }

                warnings.AddRange(reconfigured.Waiting.Select(loop =>
                    $"{loop} has not taken generation {next.Number} yet: it will once free, and serves its new clients with the old one until then"));
                warnings.AddRange(reconfigured.Failed.Select(loop => $"{loop} failed to take generation {next.Number} (the log says why): it may serve the old one"));

                lock (_live)
                {
                    _running = next;
                }

                Interlocked.Increment(ref _reloaded);
                warnings.ForEach(warning => LogReloadWarning(warning));
                LogReloaded(trigger, next.Number, clock.Elapsed.TotalMilliseconds, changes.Count == 0 ? "nothing changed" : string.Join("; ", changes));
                Reloaded?.Invoke(next);
                return new ReloadOutcome(next.Number, changes, [], warnings);
            }
            catch (StartupException e)
            {
                Abandon(prepared, next);
                return Failed(trigger, e.Problems, [.. warnings, .. e.Warnings]);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Unforeseen: the running generation goes on all the same, and the trace is logged.
                Abandon(prepared, next);
                LogReloadCrashed(e);
                return Failed(trigger, [$"unexpected {e.GetType().Name}: {e.Message}"], warnings);
            }
        }
    }

    /// <summary>No reload starts from now on; one under way finishes first.</summary>
    public void Stop()
    {
        lock (_gate)
        {
            _stopped = true;
        }
    }

    private static void Abandon(EchoServer.PreparedReconfiguration? prepared, Generation? next)
    {
        try
        {
            if (prepared is not null)
            {
                prepared.Dispose(); // Its pipelines, its sockets, and with them the generation.
            }
            else
            {
                next?.Dispose();
            }
        }
        catch (AggregateException)
        {
            // A plugin service that failed to dispose: logged when its generation ends; the reload's failure is what the caller needs.
        }
    }

    /// <exception cref="StartupException">A step cannot be built, or an address cannot be bound.</exception>
    private EchoServer.PreparedReconfiguration Prepare(Generation next)
    {
        try
        {
            return _server.Prepare(next.Listeners, next.Number);
        }
        catch (ListenFailedException e)
        {
            string origin = next.Settings.Listeners.Single(listener => listener.Name == e.Listener).ListenOrigin;
            throw new StartupException($"cannot listen on {e.Address} ({origin}): {e.ReasonText}");
        }
    }

    /// <summary>Keeps <paramref name="generation"/> in view until its last connection has gone,
    /// then unloads its plugins.</summary>
    private void Attach(Generation generation, ServedGeneration served)
    {
        lock (_live)
        {
            _live.Add(generation);
        }

        served.Unused += ended =>
        {
            lock (_live)
            {
                _live.Remove(generation);
            }

            if (_stopped)
            {
                End(generation); // The server stops: no check, and no task the process may not wait for.
                return;
            }

            _ = EndWhenDisposedAsync(generation, ended.PipelinesDisposed);
        };
    }

    /// <summary>Once its pipelines have finished disposing, disposes the generation and checks
    /// that the plugins it was the last to hold unload. Off the calling thread, which may be an
    /// event loop's: plugin services dispose, and the check forces collections.</summary>
    private async Task EndWhenDisposedAsync(Generation? generation, Task pipelinesDisposed)
    {
        await pipelinesDisposed.WaitAsync(UnloadBound).ConfigureAwait(ConfigureAwaitOptions.ForceYielding | ConfigureAwaitOptions.SuppressThrowing);
        IReadOnlyList<UnloadingPlugin> unloading = End(generation!);
        generation = null; // The check must hold nothing of what it checks.
        await CheckUnloadedAsync(unloading).ConfigureAwait(false);
    }

    /// <summary>Disposes an ended generation: its plugins unload, but for those a later one shares.</summary>
    /// <returns>The plugins it was the last to hold.</returns>
    private IReadOnlyList<UnloadingPlugin> End(Generation generation)
    {
        try
        {
            generation.Dispose();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogEndFailed(generation.Number, e); // A plugin service that failed to dispose; the contexts unload all the same.
        }

        LogEnded(generation.Number);
        Ended?.Invoke(generation);
        return generation.Plugins.Unloaded;
    }

    /// <summary>Says which plugins' load contexts outlive their generation: something still holds them.</summary>
    private async Task CheckUnloadedAsync(IReadOnlyList<UnloadingPlugin> unloading)
    {
        IReadOnlyList<UnloadingPlugin> alive = await UnloadCheck.StillAliveAfterAsync(unloading, UnloadBound).ConfigureAwait(false);
        UnloadCheck.Report(_logger, alive, UnloadBound);
        UnloadChecked?.Invoke(alive);
    }

    private ReloadOutcome Failed(string trigger, IReadOnlyList<string> problems, IReadOnlyList<string> warnings)
    {
        int running = Running.Number;
        Interlocked.Increment(ref _failed);
        LogReloadFailed(trigger, running, string.Join("; ", problems));
        return new ReloadOutcome(running, [], problems, warnings);
    }

    [LoggerMessage(EventId = 310, Level = LogLevel.Information, Message = "reload ({Trigger}): generation {Generation} serves new connections, {Milliseconds:0.0} ms after the trigger: {Changes}")]
    private partial void LogReloaded(string trigger, int generation, double milliseconds, string changes);

    [LoggerMessage(EventId = 311, Level = LogLevel.Error, Message = "reload ({Trigger}) failed; generation {Generation} goes on unchanged: {Problems}")]
    private partial void LogReloadFailed(string trigger, int generation, string problems);

    [LoggerMessage(EventId = 312, Level = LogLevel.Information, Message = "generation {Generation} ended: no connection uses it any more; its pipelines are disposed and its plugins unloaded")]
    private partial void LogEnded(int generation);

    [LoggerMessage(EventId = 315, Level = LogLevel.Error, Message = "reload failed unexpectedly")]
    private partial void LogReloadCrashed(Exception exception);

    [LoggerMessage(EventId = 317, Level = LogLevel.Warning, Message = "generation {Generation} ended, but disposing a plugin's services failed")]
    private partial void LogEndFailed(int generation, Exception exception);

    [LoggerMessage(EventId = 314, Level = LogLevel.Warning, Message = "reload: {Warning}")]
    private partial void LogReloadWarning(string warning);
}
