namespace PluggableEcho.Host.Networking;

/// <summary>How a loop takes a reload: between two events, on its own thread.</summary>
internal sealed partial class EventLoop
{
    /// <summary>Takes <paramref name="change"/> between two events. Safe from any thread.</summary>
    /// <returns>Completes once the loop serves the new generation; false if the loop has ended
    /// or is stopping, and took nothing.</returns>
    public Task<bool> ReconfigureAsync(LoopReconfiguration change)
    {
        var adopted = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!Post(() => adopted.SetResult(Reconfigure(change))))
        {
            adopted.TrySetResult(false);
        }

        return adopted.Task;
    }

    private bool Reconfigure(LoopReconfiguration change)
    {
        if (_context.Stopping)
        {
            return false;
        }

        Reactor reactor = _context.Reactor;
        long moveAt = reactor.Now + (long)change.MoveAfter.TotalMilliseconds;
        foreach (KeptListener kept in change.Kept)
        {
            kept.Listener.Adopt(kept.Options, kept.Pipeline, change.Generation, moveAt);
        }

        // The new sockets accept before the old ones close: there is no moment without a listener.
        foreach (Acceptor acceptor in change.Acceptors)
        {
            acceptor.Start();
            _acceptors.Add(acceptor);
        }

        foreach (Acceptor old in _acceptors.Where(a => change.Rebound.Contains(a.Listener) && !change.Acceptors.Contains(a)).ToList())
        {
            CloseQuietly(old);
            _acceptors.Remove(old);
        }

        Volatile.Write(ref _listeners, [.. _listeners.Except(change.Removed), .. change.Added]);
        EndRemoved(change.Removed, change.ShutdownTimeout);
        if (moveAt <= reactor.Now)
        {
            MoveIdleConnections();
        }
        else
        {
            // Connections that stay quiet past the drain timeout would hold the old generation
            // until their next message: they move then, without one.
            reactor.Timers.Schedule(new LoopTimer(MoveIdleConnections), moveAt);
        }

        return true;
    }

    /// <summary>Stops accepting for the listeners a reload dropped; their clients finish what
    /// they sent, as at a stop, and whoever has not by the shutdown timeout is closed.</summary>
    private void EndRemoved(IReadOnlyList<LoopListener> removed, TimeSpan shutdownTimeout)
    {
        if (removed.Count == 0)
        {
            return;
        }

        foreach (Acceptor acceptor in _acceptors.Where(a => removed.Contains(a.Listener)).ToList())
        {
            CloseQuietly(acceptor);
            _acceptors.Remove(acceptor);
        }

        foreach (LoopListener listener in removed)
        {
            listener.Remove();
        }

        foreach (Connection connection in ConnectionsOf(removed))
        {
            _context.Reactor.Activity.Enter(connection.Handle); // It may run steps: a stuck one is pinned on its connection.
            connection.BeginDrain();
        }

        _context.Reactor.Activity.EnterOwnWork();
        _context.Reactor.Timers.Schedule(
            new LoopTimer(() => ConnectionsOf(removed).ToList().ForEach(connection => connection.Close(CloseReason.Shutdown))),
            _context.Reactor.Now + (long)shutdownTimeout.TotalMilliseconds);
    }

    private IEnumerable<Connection> ConnectionsOf(IReadOnlyList<LoopListener> listeners) =>
        _context.Connections.Snapshot().Where(connection => !connection.IsClosed && listeners.Contains(connection.Listener));

    private void MoveIdleConnections()
    {
        foreach (Connection connection in _context.Connections.Snapshot())
        {
            connection.MoveOnIfIdle();
        }
    }
}
