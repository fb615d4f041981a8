using PluggableEcho.Host.Config;

namespace PluggableEcho.Host.Reload;

/// <summary>
/// <c>reload.watch</c>: calls back once the config file, the files it names, or anything in the
/// plugins folder has changed and then been quiet for <see cref="DefaultDebounce"/>, so that an
/// editor's save or a copy of several DLLs is one call. The callback runs on a thread-pool thread,
/// never twice at once, and never once <see cref="Dispose"/> has returned. A watcher that lost
/// events (its buffer overflowed) calls back too: better a reload too many than one missed.
/// </summary>
internal sealed class ConfigWatcher : IDisposable
{
    public static readonly TimeSpan DefaultDebounce = TimeSpan.FromMilliseconds(300);

    // FileName and DirectoryName: created, deleted, renamed (an editor's rename over the file);
    // LastWrite and Size: written in place.
    private const NotifyFilters Changes = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size;

    private readonly Action _changed;
    private readonly TimeSpan _debounce;
    private readonly Timer _quiet;

    // Guards what is watched and _disposed; held briefly, never while calling back.
    private readonly object _gate = new();

    // Held while calling back: one call at a time, and Dispose waits for the one running.
    private readonly object _calling = new();

    private IReadOnlyList<string> _files = [];
    private string? _pluginFolder;
    private WatchPlan _plan = WatchPlan.Empty;
    private List<FileSystemWatcher> _watchers = [];
    private bool _lostEvents;
    private bool _disposed;

    /// <param name="changed">What to do on a change: reload. It should not throw (it runs on a
    /// timer, where an exception ends the process) nor wait for whoever disposes this watcher.</param>
    /// <param name="debounce">How long changes must be quiet before the call; for tests.</param>
    public ConfigWatcher(Action changed, TimeSpan? debounce = null)
    {
        _changed = changed;
        _debounce = debounce ?? DefaultDebounce;
        _quiet = new Timer(_ => CallBack());
    }

    /// <summary>Watches what a config depends on: its file, the files its steps name, and its plugins folder.</summary>
    /// <inheritdoc cref="Watch(IEnumerable{string}, string?)"/>
    public IReadOnlyList<string> Watch(ServerSettings settings) =>
        Watch(settings.ConfigFile == ConfigLoader.NoFile ? NamedFiles.Of(settings) : [settings.ConfigFile, .. NamedFiles.Of(settings)], settings.PluginFolder);

    /// <summary>Watches these instead of what was watched: after a reload, the config may name other files.</summary>
    /// <param name="files">They need not exist yet, nor their folders.</param>
    /// <param name="pluginFolder">Watched with its subfolders; it need not exist yet. Null: none.</param>
    /// <returns>The folders that cannot be watched and why (no permission, the system's limit on
    /// watches reached), to be logged; the rest are watched all the same.</returns>
    public IReadOnlyList<string> Watch(IEnumerable<string> files, string? pluginFolder)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _files = [.. files.Select(Absolute)];
            _pluginFolder = pluginFolder is null ? null : Absolute(pluginFolder);
        }

        return Replan(always: true);
    }

    public void Dispose()
    {
        List<FileSystemWatcher> stopped;
        lock (_calling)
        {
            lock (_gate)
            {
                if (_disposed)
                {
                    return;
                }

                _disposed = true;
                _quiet.Dispose();
                stopped = _watchers;
                _watchers = [];
            }
        }

        Stop(stopped);
    }

    private static string Absolute(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));

    /// <summary>Watches as the file system now asks: a folder may have appeared since the last
    /// plan, or a watcher stopped at an overflow. The new watchers start before the old ones
    /// stop, so that no change falls between them.</summary>
    private List<string> Replan(bool always)
    {
        var problems = new List<string>();
        List<FileSystemWatcher> stopped;
        lock (_gate)
        {
            WatchPlan plan = WatchPlan.For(_files, _pluginFolder);
            if (_disposed || (!always && !_lostEvents && plan.SameAs(_plan)))
            {
                return [];
            }

            _lostEvents = false;
            var started = new List<FileSystemWatcher>();
            foreach (WatchSpot spot in plan.Spots)
            {
                if (TryStart(spot, out string? problem) is { } watcher)
                {
                    started.Add(watcher);
                }
                else
                {
                    problems.Add(problem!);
                }
            }

            (stopped, _watchers, _plan) = (_watchers, started, plan);
        }

        Stop(stopped);
        return problems;
    }

    private FileSystemWatcher? TryStart(WatchSpot spot, out string? problem)
    {
        problem = null;
        FileSystemWatcher? watcher = null;
        try
        {
            watcher = new FileSystemWatcher(spot.Folder) { IncludeSubdirectories = spot.Subfolders, NotifyFilter = Changes };
            foreach (string name in spot.Names)
            {
                watcher.Filters.Add(name);
            }

            watcher.Changed += OnChange;
            watcher.Created += OnChange;
            watcher.Deleted += OnChange;
            watcher.Renamed += OnChange; // Raised when either the old or the new name matches.
            watcher.Error += OnLostEvents;
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or PlatformNotSupportedException)
        {
            watcher?.Dispose();
            problem = $"cannot watch {spot.Folder} for changes: {e.Message}";
            return null;
        }
    }

    private void Stop(List<FileSystemWatcher> watchers)
    {
        foreach (FileSystemWatcher watcher in watchers)
        {
            watcher.EnableRaisingEvents = false;
            watcher.Changed -= OnChange;
            watcher.Created -= OnChange;
            watcher.Deleted -= OnChange;
            watcher.Renamed -= OnChange;
            watcher.Error -= OnLostEvents;
            watcher.Dispose();
        }
    }

    // Every change restarts the quiet time: the call comes once they stop.
    private void OnChange(object sender, FileSystemEventArgs e) => Restart();

    private void OnLostEvents(object sender, ErrorEventArgs e)
    {
        lock (_gate)
        {
            _lostEvents = true; // The watcher may have stopped: the next call starts new ones.
        }

        Restart();
    }

    private void Restart()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                _quiet.Change(_debounce, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private void CallBack()
    {
        lock (_calling)
        {
            _ = Replan(always: false); // Its problems were reported when the set was given.
            lock (_gate)
            {
                if (_disposed)
                {
                    return;
                }
            }

            _changed();
        }
    }
}
