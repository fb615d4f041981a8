using System.ComponentModel;
using System.Net.Sockets;

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
        if (!Post(() => Reconfigure(change, adopted)))
        {
            adopted.TrySetResult(false);
        }

        return adopted.Task;
    }

    /// <summary>A failure here is a bug: it is reported to the reload, and the loop goes on
    /// serving (with what it took of the change).</summary>
    private void Reconfigure(LoopReconfiguration change, TaskCompletionSource<bool> adopted)
    {
        try
        {
            adopted.TrySetResult(Reconfigure(change));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            NetworkLog.ReconfigureFailed(_context.Logger, _name, e);
            adopted.TrySetException(e);
        }
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
            try
            {
                acceptor.Start();
                _acceptors.Add(acceptor);
            }
            catch (Exception e) when (e is SocketException or Win32Exception)
            {
                // Out of epoll watches, say: the other loops' sockets still take its clients.
                NetworkLog.AcceptorStartFailed(_context.Logger, _name, acceptor.Listener.Options.Name, e);
                CloseQuietly(acceptor);
            }
        }

        foreach (Acceptor old in _acceptors.Where(a => change.Rebound.Contains(a.Listener) && !change.Acceptors.Contains(a)).ToList())
        {
            CloseQuietly(old);
            _acceptors.Remove(old);
        }

        Volatile.Write(ref _listeners, [.. _listeners.Except(change.Removed), .. change.Added]);
        EndRemoved(change.Removed, (long)change.ShutdownTimeout.TotalMilliseconds);
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
    private void EndRemoved(IReadOnlyList<LoopListener> removed, long shutdownTimeout)
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

        // Holding nothing of the listeners: one without clients is gone, its pipeline with it.
        _context.Reactor.Timers.Schedule(new LoopTimer(() => CloseOverdue(shutdownTimeout)), _context.Reactor.Now + shutdownTimeout);
    }

    private IEnumerable<Connection> ConnectionsOf(IReadOnlyList<LoopListener> listeners) =>
        _context.Connections.Snapshot().Where(connection => !connection.IsClosed && listeners.Contains(connection.Listener));

    /// <summary>Closes the clients of removed listeners whose shutdown timeout has passed.</summary>
    private void CloseOverdue(long shutdownTimeout)
    {
        long now = _context.Reactor.Now;
        foreach (Connection connection in _context.Connections.Snapshot())
        {
            if (connection.Listener is { Removed: true } listener && now - listener.RemovedAt >= shutdownTimeout)
            {
                connection.Close(CloseReason.Shutdown);
            }
        }
    }

    private void MoveIdleConnections()
    {
        foreach (Connection connection in _context.Connections.Snapshot())
        {
            connection.MoveOnIfIdle();
        }
    }
}
