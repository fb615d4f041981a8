namespace PluggableEcho.Host.Networking;

/// <summary>
/// The connection's side of <c>max_buffered_bytes</c> (<see cref="MemoryPressure"/>): what its
/// buffers hold, not being read while its loop is over budget, and being ended when its loop
/// must give memory back.
/// </summary>
internal sealed partial class Connection
{
    private bool _waitingForMemory; // Not read until its loop's buffers are back within budget.

    /// <summary>What its buffers take: unfinished input and unsent output, by array size.</summary>
    public long HeldBytes => (long)_output.Capacity + _exchange.HeldBytes;

    /// <summary>Its loop's buffers stayed over budget, and it holds among the most: it is ended
    /// and its buffers given back. A client with replies still unsent is not reading them, so it
    /// is closed at once; one that holds only input is told why first, as a framed notice.</summary>
    public void Shed() => Guarded(() =>
    {
        NetworkLog.ConnectionShed(_loop.Logger, Handle, _client, HeldBytes);
        if (State == ConnectionState.Open && _output.IsEmpty)
        {
            _exchange.Shed(_output);
            Finish();
            Flush();
        }
        else
        {
            Close(CloseReason.ServerBusy);
        }
    });

    /// <summary>Its loop is within budget again: it is read as before, and the rest of its
    /// message, which waited on us, has its time again.</summary>
    public void ResumeAfterPressure() => Guarded(() =>
    {
        _waitingForMemory = false;
        if (IsClosed)
        {
            return;
        }

        if (_messageStartedAt != 0)
        {
            _messageStartedAt = _loop.Reactor.Now;
            ScheduleDeadline();
        }

        UpdateInterest(wasReading: true);
    });

    /// <summary>Called by the loop's memory pressure, not by its socket: a bug costs this one
    /// connection, never the loop, as in <see cref="OnReady"/>.</summary>
    private void Guarded(Action work)
    {
        try
        {
            work();
        }
        catch (Exception e)
        {
            NetworkLog.ConnectionCrashed(_loop.Logger, Handle, _client, e);
            Close(CloseReason.Failed);
        }
    }

    /// <summary>Whether its loop is over budget and it holds a buffer, so that reading it could
    /// only grow what the loop holds; if so, it waits for the pressure to end.</summary>
    private bool HeldBackForMemory()
    {
        if (!_loop.Memory.Exceeded || HeldBytes == 0)
        {
            return false;
        }

        if (!_waitingForMemory)
        {
            _waitingForMemory = true;
            _loop.Memory.Wait(this);
        }

        return true;
    }
}
