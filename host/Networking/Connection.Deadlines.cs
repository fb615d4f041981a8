using PluggableEcho.Host.Networking.Proxy;

namespace PluggableEcho.Host.Networking;

/// <summary>
/// The connection's one timer on its loop: the earliest of its idle deadline, its linger deadline,
/// the moment it becomes too old, its unfinished message's and its stalled output's deadlines,
/// the moment an unfinished line has waited long enough to say why it gets no reply, and, while
/// the server stops, the moment it may close quietly. Activity only records the time;
/// the timer, when it fires, finds out whether the deadline still holds and moves itself if not.
/// </summary>
internal sealed partial class Connection
{
    // After the replies that explain why we stop reading, the client gets this long to close its
    // side; closing first, on unread input, would reset the connection and lose those replies.
    private const int LingerMilliseconds = 5000;

    // How long a client must have been silent for a stopping server to close on it, and how often
    // to look again while the client has not acknowledged every byte.
    private const int QuietMilliseconds = 500;
    private const int QuietRecheckMilliseconds = 100;

    // How long a stopping server waits after a held-back client's last input before it takes that
    // input as all there is: the bytes a full window held back come once the window update that a
    // read causes reaches the client, which a delayed acknowledgement may hold for up to 200 ms.
    private const int InputQuietMilliseconds = 250;

    // How long an unfinished line must go without a new byte before the log says why its client
    // gets no reply: long past a pause between a line's pieces, short for a person waiting.
    private static readonly TimeSpan LineEndWait = TimeSpan.FromSeconds(2);

    private LoopTimer? _timer; // Made the first time a deadline is wanted.
    private long _openedAt;
    private long _lastActive;
    private long _lastReceived; // When its last input arrived; 0: none yet.
    private bool _heldBack; // It has been not read from, its output at the limit: its client's window was full.
    private long _lingerUntil;
    private long _messageStartedAt; // When its unfinished message began; 0: at a message boundary.
    private long _pausedAt; // Since when it is not read from, its output at the limit; 0: read from.
    private bool _lineEndNoticed; // The log has said that its line has no ending: once is enough.

    private void Linger()
    {
        if (_lingerUntil == 0)
        {
            _lingerUntil = _loop.Reactor.Now + LingerMilliseconds;
        }

        ScheduleDeadline();
    }

    private void ScheduleDeadline()
    {
        if (IsClosed)
        {
            return;
        }

        long now = _loop.Reactor.Now;
        long due = _lingerUntil != 0 ? _lingerUntil : long.MaxValue;
        due = Math.Min(due, Math.Min(IdleDue(), RetireAt()));
        due = Math.Min(due, Math.Min(ProxyHeaderDue(), Math.Min(MessageDue(), StallDue())));
        due = Math.Min(due, LineEndDue());
        if (Stopping && State == ConnectionState.Lingering)
        {
            due = Math.Min(due, Math.Max(_lastActive + QuietMilliseconds, now + QuietRecheckMilliseconds));
        }
        else if (HeldBackThroughStop && !InputIsQuiet(now))
        {
            due = Math.Min(due, _lastReceived + InputQuietMilliseconds); // Its replies may end then.
        }

        if (due == long.MaxValue)
        {
            CancelDeadline();
            return;
        }

        _timer ??= new LoopTimer(OnDeadline);
        _loop.Reactor.Timers.Schedule(_timer, due);
    }

    private void CancelDeadline()
    {
        if (_timer is not null)
        {
            _loop.Reactor.Timers.Cancel(_timer);
        }
    }

    private void OnDeadline()
    {
        try
        {
            long now = _loop.Reactor.Now;
            if (now >= ProxyHeaderDue())
            {
                RefuseProxyHeader(ProxyHeaderProblem.Incomplete);
                return;
            }

            if (now >= StallDue())
            {
                NetworkLog.OutputStalled(_loop.Logger, Handle, _client, _listener.Limits.OutputStallTimeout.TotalSeconds);
                Close(CloseReason.OutputStall);
                return;
            }

            if (now >= LineEndDue())
            {
                _lineEndNoticed = true;
                NetworkLog.NoLineEnd(_loop.Logger, Handle, _client, _exchange.UnfinishedBytes, LineEndWait.TotalSeconds);
            }

            if (now >= MessageDue())
            {
                NetworkLog.MessageTimedOut(_loop.Logger, Handle, _client, _listener.Limits.MessageTimeout.TotalSeconds);
                _exchange.TimeOut(_output); // The client is told, after the replies before it.
                Finish();
                Flush();
                if (IsClosed)
                {
                    return;
                }
            }

            if (now >= RetireAt())
            {
                _retiring = true;
                Flush(); // Ends the replies now if the client is at a message boundary, else at the next.
                if (IsClosed)
                {
                    return;
                }
            }

            if (HeldBackThroughStop && InputIsQuiet(now))
            {
                Flush(); // Its replies end now if its input so far is answered.
                if (IsClosed)
                {
                    return;
                }
            }

            if (Expiry(now) is { } reason)
            {
                NetworkLog.ConnectionExpired(_loop.Logger, Handle, _client);
                Close(reason);
                return;
            }

            ScheduleDeadline();
        }
        catch (Exception e)
        {
            NetworkLog.ConnectionCrashed(_loop.Logger, Handle, _client, e);
            Close(CloseReason.Failed);
        }
    }

    /// <summary>When an open connection becomes too old (max_connection_duration); never once it
    /// is retiring, or when there is no such limit.</summary>
    private long RetireAt() => Due(State == ConnectionState.Open && !_retiring, _openedAt, _listener.Limits.MaxConnectionDuration);

    /// <summary><paramref name="limit"/> after <paramref name="since"/>, if the deadline applies
    /// and the limit is on; else never.</summary>
    private static long Due(bool applies, long since, TimeSpan limit) =>
        applies && limit > TimeSpan.Zero ? since + (long)limit.TotalMilliseconds : long.MaxValue;

    /// <summary>An open client of a stopping server that was held back: its replies end only once
    /// its input is quiet (<see cref="RepliesAreDone"/>), which the timer looks for.</summary>
    private bool HeldBackThroughStop => Stopping && State == ConnectionState.Open && _heldBack;

    /// <summary>Whether no input has come for <see cref="InputQuietMilliseconds"/>.</summary>
    private bool InputIsQuiet(long now) => now - _lastReceived >= InputQuietMilliseconds;

    /// <summary>A connection still waiting for its header has proxy_header_timeout instead.</summary>
    private long IdleDue() => Due(State != ConnectionState.AwaitingProxyHeader, _lastActive, _listener.Limits.IdleTimeout);

    /// <summary>A message is under way: its deadline runs from its first byte (once per message,
    /// so a client that trickles bytes cannot extend it).</summary>
    /// <param name="wholeBefore">The exchange's whole messages before the read: if it took any,
    /// the unfinished one is new.</param>
    private void TimeMessage(long wholeBefore)
    {
        if (!_exchange.InMidMessage)
        {
            _messageStartedAt = 0;
            return;
        }

        bool timed = _listener.Limits.MessageTimeout > TimeSpan.Zero || (_listener.FramesLines && !_lineEndNoticed);
        if (!timed || (_messageStartedAt != 0 && _exchange.WholeMessages == wholeBefore))
        {
            return;
        }

        _messageStartedAt = _lastActive;
        if (_timer is not { IsScheduled: true } || _timer.Due > Math.Min(MessageDue(), LineEndDue()))
        {
            ScheduleDeadline(); // Else the timer, when it fires, looks again.
        }
    }

    /// <summary>Not while it is not read from (its output at the limit, or its loop short of
    /// memory): the rest of its message waits on us, not on the client.</summary>
    private long MessageDue() =>
        Due(_messageStartedAt != 0 && State == ConnectionState.Open && _pausedAt == 0 && !_waitingForMemory, _messageStartedAt, _listener.Limits.MessageTimeout);

    /// <summary>
    /// When a line-framed client's unfinished line has gone <see cref="LineEndWait"/> without a
    /// new byte: most likely its client ends messages with no <c>\n</c> at all, and waits for a
    /// reply that never comes. Said once per connection; from its last byte, so that a slow
    /// client's lines are not mistaken for it (the timer, set at the line's first byte, looks
    /// again), and only while it is read from: else the ending may be waiting on us.
    /// </summary>
    private long LineEndDue() =>
        Due(_listener.FramesLines && !_lineEndNoticed && State == ConnectionState.Open && (_interest & Readiness.Readable) != 0
            && !_exchange.HasBacklog && _exchange.UnfinishedBytes > 0, _lastActive, LineEndWait);

    private long StallDue() => Due(_pausedAt != 0, _pausedAt, _listener.Limits.OutputStallTimeout);

    /// <summary>When a connection still waiting for its PROXY header is refused.</summary>
    private long ProxyHeaderDue() => Due(State == ConnectionState.AwaitingProxyHeader, _openedAt, _listener.Limits.ProxyHeaderTimeout);

    /// <summary>Why the connection must go now: it lingered long enough, has been idle too
    /// long, or can go quietly now that the server stops; null if none of these.</summary>
    private CloseReason? Expiry(long now)
    {
        if (_lingerUntil != 0 && now >= _lingerUntil)
        {
            return _endCause;
        }

        if (now >= IdleDue())
        {
            return State == ConnectionState.Open ? CloseReason.Idle : _endCause;
        }

        return CanCloseQuietly(now) ? CloseReason.Shutdown : null;
    }

    /// <summary>
    /// For a stopping server, whether closing now can lose nothing: every reply is out and
    /// acknowledged, and the client has been quiet for a while, so that no input of its is likely
    /// to arrive after the close and reset the connection (which would discard replies it has
    /// not read yet). A client that keeps talking is waited for until it closes, or the
    /// shutdown timeout.
    /// </summary>
    private bool CanCloseQuietly(long now) =>
        Stopping && State == ConnectionState.Lingering && _output.IsEmpty && now - _lastActive >= QuietMilliseconds && AllDelivered();

    /// <summary>Whether the client has acknowledged every byte we sent (Linux; elsewhere unknown, so no).</summary>
    private unsafe bool AllDelivered()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        int unacknowledged;
        return LinuxNative.ioctl(Handle, LinuxNative.SIOCOUTQ, &unacknowledged) == 0 && unacknowledged == 0;
    }
}
