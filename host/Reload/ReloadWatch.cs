using Microsoft.Extensions.Logging;
using PluggableEcho.Host.Config;

namespace PluggableEcho.Host.Reload;

/// <summary>
/// <c>reload.watch</c> as the running config sets it: a reload turns it on or off, and changes
/// what it watches (the files a config names may change with it).
/// </summary>
internal sealed partial class ReloadWatch(Reloader reloader, ILogger logger) : IDisposable
{
    private readonly Lock _gate = new();
    private ConfigWatcher? _watcher;
    private bool _disposed;

    /// <summary>Watches what <paramref name="settings"/> depend on if they ask for it, else nothing.
    /// Once disposed (the server stops), nothing.</summary>
    public void Follow(ServerSettings settings)
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                FollowUnderGate(settings);
            }
        }
    }

    public void Dispose()
    {
        ConfigWatcher? watcher;
        lock (_gate)
        {
            _disposed = true;
            watcher = _watcher;
        }

        watcher?.Dispose(); // Outside the gate: it waits for a reload under way, which may call Follow.
    }

    private void FollowUnderGate(ServerSettings settings)
    {
        if (!settings.ReloadRules.Watch)
        {
            // Not disposed: this may run inside the watcher's own call, which Dispose would wait for.
            _watcher?.Watch([], null);
            return;
        }

        _watcher ??= new ConfigWatcher(() => reloader.Reload("watch"));
        foreach (string problem in _watcher.Watch(settings))
        {
            LogCannotWatch(problem);
        }
    }

    [LoggerMessage(EventId = 316, Level = LogLevel.Warning, Message = "reload.watch: {Problem}; a change there needs SIGHUP or pluggable-echo reload")]
    private partial void LogCannotWatch(string problem);
}
