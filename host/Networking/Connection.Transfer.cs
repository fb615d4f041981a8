using System.Net.Sockets;

namespace PluggableEcho.Host.Networking;

/// <summary>Reading and sending: the hot path, and the one place that decides whether to read.</summary>
internal sealed partial class Connection
{
    // A client that keeps sending yields the loop to the others after this many reads (and,
    // whatever the reads, once its messages have had their turn: LoopListener.Turn).
    private const int MaxReadsPerEvent = 16;

    // The smallest read while the output is nearly at its limit.
    private const int MinimumRead = 4096;

    private bool _comingBack; // Its next turn is booked with the reactor.
    private Action? _continueTurn; // Made the first time it yields.

    private void Read()
    {
        if (_exchange.HasBacklog && _comingBack)
        {
            return; // Its next turn is booked (ContinueTurn); new input waits till the backlog is done.
        }

        _exchange.BeginTurn();
        if (_exchange.HasBacklog && !AnswerBacklog())
        {
            return;
        }

        int outputLimit = _listener.Limits.OutputBufferBytes;
        for (int reads = 0; reads < MaxReadsPerEvent && WantsInput(outputLimit); reads++)
        {
            Span<byte> buffer = ReceiveRoom(outputLimit);
            int received = SocketCalls.Receive(_socket, Handle, buffer, out SocketError error);
            if (error == SocketError.WouldBlock)
            {
                return;
            }

            if (error != SocketError.Success)
            {
                Close(error);
                return;
            }

            _listener.Counters.BytesReceived += received;
            if (received == 0)
            {
                EndInput();
                return;
            }

            if (State == ConnectionState.Open)
            {
                Take(buffer[..received]);
                if (_exchange.HasBacklog)
                {
                    return; // Its turn is over; the rest of what it sent waits, and so does the socket.
                }
            }
            else if (State == ConnectionState.AwaitingProxyHeader)
            {
                ReadProxyHeader(buffer[..received]);
                if (IsClosed || _exchange.HasBacklog)
                {
                    return;
                }
            }
            else
            {
                // Input dropped after the replies ended counts too: a stopping server closes only on
                // a client quiet for a while, as a close on one still talking resets the connection.
                _lastActive = _loop.Reactor.Now;
                continue; // Dropped: nothing to answer.
            }

            if (received < buffer.Length)
            {
                return; // The kernel had no more: save the receive that would say WouldBlock.
            }
        }
    }

    /// <summary>
    /// As much of the loop's receive buffer as the output has room for, counting a short
    /// unfinished message whose reply the read may complete: so a client that never reads
    /// cannot push its output past the limit (with replies no longer than their messages), and
    /// its buffer never doubles past it. A long unfinished message overshoots when it completes
    /// whatever the read, so it is not counted. At least <see cref="MinimumRead"/>, so that
    /// reads stay worth their cost.
    /// </summary>
    private Span<byte> ReceiveRoom(int outputLimit)
    {
        byte[] buffer = _loop.ReceiveBuffer;
        int unfinished = _exchange.UnfinishedBytes;
        int room = outputLimit - _output.Length - (unfinished <= outputLimit / 8 ? unfinished : 0);
        return buffer.AsSpan(0, Math.Clamp(room, Math.Min(MinimumRead, buffer.Length), buffer.Length));
    }

    /// <summary>Hands the client's bytes to the exchange, which queues the replies they complete.</summary>
    private void Take(ReadOnlySpan<byte> received)
    {
        _lastActive = _loop.Reactor.Now;
        _lastReceived = _lastActive;
        long wholeBefore = _exchange.WholeMessages;
        _exchange.Receive(received, _output);
        AfterExchange(wholeBefore);
    }

    /// <summary>Its last turn ended with messages left: they come before any new input.</summary>
    /// <returns>Whether it answered them all, so that new input may be read.</returns>
    private bool AnswerBacklog()
    {
        long wholeBefore = _exchange.WholeMessages;
        _exchange.Continue(_output);
        _lastActive = _loop.Reactor.Now; // Busy with what it sent: not idle.
        AfterExchange(wholeBefore);
        return !_exchange.HasBacklog && !IsClosed;
    }

    private void AfterExchange(long wholeBefore)
    {
        if (_exchange.Finished)
        {
            Finish();
        }
        else if (_exchange.HasBacklog)
        {
            ComeBack();
        }
        else
        {
            TimeMessage(wholeBefore);
        }
    }

    /// <summary>It yielded its turn with messages left: the loop gives it another next turn.</summary>
    private void ComeBack()
    {
        _messageStartedAt = 0; // Time the loop spends on others does not count against its message.
        if (!_comingBack)
        {
            _comingBack = true;
            _loop.Reactor.RunNextTurn(Handle, _continueTurn ??= ContinueTurn);
        }
    }

    private void ContinueTurn()
    {
        _comingBack = false;
        Serve(Readiness.Readable);
    }

    private void Flush()
    {
        // Until the kernel refuses: after a short send it may have room again at once (the
        // client's acknowledgements came meanwhile), and one refused send is cheaper than asking
        // the poller for writable and back. Each send is one system call (SocketCalls).
        while (!_output.IsEmpty)
        {
            int sent = SocketCalls.Send(_socket, Handle, _output.WrittenSpan, out SocketError error);
            if (error == SocketError.WouldBlock)
            {
                break;
            }

            if (error != SocketError.Success)
            {
                Close(error);
                return;
            }

            _lastActive = _loop.Reactor.Now;
            _listener.Counters.BytesSent += sent;
            _output.Consume(sent);
            if (_pausedAt != 0)
            {
                _pausedAt = _lastActive; // It takes its replies, if slowly: no stall.
            }
        }

        if (_output.IsEmpty && !AfterReplies())
        {
            return;
        }

        UpdateInterest();
    }

    /// <summary>Every reply so far is out: what the state makes of that.</summary>
    /// <returns>False if the connection has closed.</returns>
    private bool AfterReplies()
    {
        _output.Release();
        if (State == ConnectionState.HalfClosed)
        {
            Close(_endCause);
            return false;
        }

        if (RepliesAreDone())
        {
            EndReplies();
            if (IsClosed)
            {
                return false;
            }
        }

        if (CanCloseQuietly(_loop.Reactor.Now))
        {
            Close(CloseReason.Shutdown);
            return false;
        }

        return true;
    }

    /// <summary>Done answering: under the exchange's own terms, or, for a stopping server or an
    /// old connection, once the client's input so far is answered (an old one at a message
    /// boundary too; a stopping server cannot wait for the rest of a message, nor for a header).
    /// A client that was held back (not read from, its output at the limit) must also have paused
    /// its input for a while: the bytes a full window held back follow a read once the window
    /// update reaches the client, and finding none in the socket meanwhile does not mean that it
    /// is done.</summary>
    private bool RepliesAreDone() => State switch
    {
        ConnectionState.Finishing => true,
        ConnectionState.Open => ((Stopping && (!_heldBack || InputIsQuiet(_loop.Reactor.Now))) || (_retiring && !_exchange.InMidMessage))
            && !_exchange.HasBacklog && !HasUnreadInput(),
        ConnectionState.AwaitingProxyHeader => Stopping && !HasUnreadInput(),
        _ => false,
    };

    /// <summary>
    /// Whether to take input: not after its end, and not while too much output waits. Once the
    /// replies are finishing, input is read and dropped, so it cannot add to the output. The read
    /// loop and the poller's interest both ask this, or the loop would wake for input it then
    /// would not read.
    /// </summary>
    private bool WantsInput(int outputLimit) => State switch
    {
        ConnectionState.Open => _output.Length < outputLimit && !HeldBackForMemory(),
        ConnectionState.AwaitingProxyHeader or ConnectionState.Finishing or ConnectionState.Lingering => true,
        _ => false,
    };

    /// <param name="wasReading">It was being read until it had to wait for memory: the high
    /// threshold, not the low watermark, says whether to read it again.</param>
    private void UpdateInterest(bool wasReading = false)
    {
        bool reading = wasReading || (_interest & Readiness.Readable) != 0;
        ConnectionLimits limits = _listener.Limits;
        Readiness wanted = WantsInput(reading ? limits.OutputBufferBytes : limits.OutputLowWatermark) ? Readiness.Readable : Readiness.None;
        if (!_output.IsEmpty)
        {
            wanted |= Readiness.Writable;
        }

        if (wanted != _interest)
        {
            _loop.Reactor.Change(_socket, wanted);
            _interest = wanted;
        }

        CountPause(); // Also when only the reason changed: the output's limit, or memory.
    }

    /// <summary>
    /// Keeps the read_paused gauge true: this connection counts in it while it is open and not
    /// read from because its client's unsent output reached the limit. Called after every change
    /// of state or interest, so that no way out of a pause (a drain, a close) can leave it counted.
    /// </summary>
    private void CountPause()
    {
        bool paused = State == ConnectionState.Open && (_interest & Readiness.Readable) == 0 && !_waitingForMemory;
        if (paused != (_pausedAt != 0))
        {
            ListenerCounters counters = _listener.Counters;
            counters.ReadingPaused += paused ? 1 : -1;
            counters.ReadPauses += paused ? 1 : 0;
            long now = _loop.Reactor.Now;
            _pausedAt = paused ? now : 0;
            _heldBack |= paused;
            if (paused && _listener.Limits.OutputStallTimeout > TimeSpan.Zero)
            {
                ScheduleDeadline(); // output_stall_timeout may come before any other deadline.
            }
            else if (!paused && _messageStartedAt != 0 && State == ConnectionState.Open)
            {
                // While not read from, the rest of its message waited on us: its time starts again.
                _messageStartedAt = now;
                ScheduleDeadline();
            }
        }
    }

    /// <summary>Whether the client has sent bytes not read yet; a socket in error has none to read.</summary>
    private bool HasUnreadInput()
    {
        try
        {
            return _socket.Available > 0;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
