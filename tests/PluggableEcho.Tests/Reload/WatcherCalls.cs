namespace PluggableEcho.Tests.Reload;

/// <summary>A <see cref="PluggableEcho.Host.Reload.ConfigWatcher"/>'s calls, counted, for a test to
/// wait on (bounded) instead of sleeping.</summary>
internal sealed class WatcherCalls
{
    private readonly object _gate = new();
    private readonly List<(int Count, TaskCompletionSource Reached)> _waiting = [];
    private int _count;
    private int _running;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    /// <summary>Whether a call ever began while another was still running.</summary>
    public bool Overlapped { get; private set; }

    /// <summary>What runs while a call is counted, before it returns: a test's hold on it, say.</summary>
    public Action? During { get; set; }

    /// <summary>The watcher's callback.</summary>
    public void Record()
    {
        if (Interlocked.Increment(ref _running) > 1)
        {
            Overlapped = true;
        }

        lock (_gate)
        {
            _count++;
            foreach ((int count, TaskCompletionSource reached) in _waiting.Where(w => w.Count <= _count).ToList())
            {
                reached.TrySetResult();
                _waiting.Remove((count, reached));
            }
        }

        During?.Invoke();
        Interlocked.Decrement(ref _running);
    }

    /// <summary>Whether the <paramref name="count"/>th call has come within <paramref name="within"/>.</summary>
    public bool Reached(int count, TimeSpan within)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_count >= count)
            {
                return true;
            }

            _waiting.Add((count, reached));
        }

        return reached.Task.Wait(within);
    }
}
