using System.Runtime.ExceptionServices;

namespace PluggableEcho.Host.Networking;

/// <summary>
/// Work other threads hand to a loop's thread. Every item that <see cref="TryPost"/> accepted runs
/// exactly once on the loop's thread, even when it was posted as the loop ended; an item refused
/// is the poster's to deal with.
/// </summary>
/// <remarks>
/// A lock, not a lock-free queue beside a <c>volatile</c> "ended" flag: that pair is Dekker's
/// problem, where each side stores to one location and loads the other, and a store followed by a
/// load may be reordered even on x86. The loop could then see an empty queue while the poster sees
/// the loop still running, and the item would be neither run nor refused. The lock orders both
/// sides; it is taken only when work was posted (a client handed over, a stop request), never per message.
/// </remarks>
internal sealed class PostedWork
{
    private readonly object _gate = new();
    private List<Action> _pending = [];
    private List<Action> _running = [];
    private bool _closed;

    /// <summary>Whether anything waits. A hint for the loop's thread, which runs it soon anyway.</summary>
    public bool Any => Volatile.Read(ref _pending).Count > 0;

    /// <summary>Safe from any thread.</summary>
    /// <returns>False once <see cref="Close"/> has run: the item will never run.</returns>
    public bool TryPost(Action work)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return false;
            }

            _pending.Add(work);
            return true;
        }
    }

    /// <summary>Runs what was posted so far. Loop's thread only.</summary>
    /// <remarks>An item that throws does not stop the others: every one runs, then the first
    /// failure is thrown on to the caller (to the loop, for which it is a bug).</remarks>
    public void RunPending()
    {
        if (!Any && !_closed)
        {
            return; // Most turns: no lock. A post made after this look has woken the poller.
        }

        lock (_gate)
        {
            if (_pending.Count == 0)
            {
                return;
            }

            (_pending, _running) = (_running, _pending);
        }

        ExceptionDispatchInfo? failure = null;
        foreach (Action work in _running)
        {
            try
            {
                work();
            }
            catch (Exception e)
            {
                failure ??= ExceptionDispatchInfo.Capture(e);
            }
        }

        _running.Clear();
        failure?.Throw();
    }

    /// <summary>Refuses every later item and runs those already accepted. Loop's thread only.</summary>
    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
        }

        RunPending();
    }
}
