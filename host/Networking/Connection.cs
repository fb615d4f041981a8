using System.Net;
using System.Net.Sockets;
using PluggableEcho.Host.Buffers;
using PluggableEcho.Host.Networking.Proxy;
using PluggableEcho.Host.Pipeline;

namespace PluggableEcho.Host.Networking;

/// <summary>
/// One client's socket, driven by its loop's readiness events: reads into the loop's shared
/// buffer, hands the bytes to its <see cref="MessageExchange"/>, sends the replies as fast as the
/// client takes them. It keeps only the output not sent yet, and no buffer at all while idle.
/// Its life is one <see cref="ConnectionState"/>; this file moves it from state to state, the
/// other parts do the reading and sending (<c>Connection.Transfer.cs</c>), keep its deadlines
/// (<c>Connection.Deadlines.cs</c>) and read a balancer's PROXY header (<c>Connection.ProxyHeader.cs</c>).
/// </summary>
internal sealed partial class Connection : IReadinessHandler
{
    private readonly Socket _socket;
    private readonly LoopContext _loop;
    private readonly LoopListener _listener;
    private readonly MessageExchange _exchange;
    private readonly ByteBuffer _output;
    private Readiness _interest = Readiness.Readable;
    private CloseReason _endCause = CloseReason.Client; // What ends it, once replies stop for a reason of ours.
    private bool _retiring; // Past max_connection_duration: its replies end at the next message boundary.
    private EndPoint? _client; // For logs: the socket's peer, or the client a PROXY header names.
    private IPAddress? _addressSlot; // The address whose max_connections_per_ip slot it holds, if any.

    /// <param name="addressSlot">The address whose max_connections_per_ip slot the client took
    /// at accept, given back on close; null if none (behind a PROXY header it is taken later).</param>
    public Connection(Socket socket, LoopContext loop, LoopListener listener, IPAddress? addressSlot)
    {
        _socket = socket;
        _loop = loop;
        _listener = listener;
        _addressSlot = addressSlot;
        _client = socket.RemoteEndPoint;
        _exchange = new MessageExchange(listener.Exchange, _client);
        _output = new ByteBuffer(listener.Exchange.Budget, listener.Limits.OutputBufferBytes);
        State = listener.Options.ProxyProtocol == ProxyProtocol.Off ? ConnectionState.Open : ConnectionState.AwaitingProxyHeader;
        _lastActive = loop.Reactor.Now;
        _openedAt = _lastActive;
        Handle = (int)socket.Handle;
    }

    public int Handle { get; }

    public ConnectionState State { get; private set; }

    public bool IsClosed => State == ConnectionState.Closed;

    /// <summary>The listener it was accepted on, as its loop serves it.</summary>
    public LoopListener Listener => _listener;

    /// <summary>Whether it is to finish what its client sent and close: the server stops, or a
    /// reload removed its listener.</summary>
    private bool Stopping => _loop.Stopping || _listener.Removed;

    /// <summary>Its place in the loop's <see cref="ConnectionTable"/>; -1 when not in it.</summary>
    internal int TableIndex { get; set; } = -1;

    public void Open()
    {
        try
        {
            _loop.Reactor.Register(_socket, _interest, this);
        }
        catch
        {
            _exchange.Close(); // Never served: its hold on the generation goes back at once.
            throw;
        }

        _listener.Counters.Opened++;
        _loop.Connections.Add(this);
        ScheduleDeadline();
    }

    public void OnReady(Readiness readiness)
    {
        if (_interest == Readiness.None && !IsClosed)
        {
            OnUnaskedEvent();
            return;
        }

        Serve(readiness);
    }

    /// <summary>Reads and sends as the socket allows: for the poller, a booked turn, a drain.</summary>
    private void Serve(Readiness readiness)
    {
        if (IsClosed)
        {
            return; // Closed since it asked to come back (RunAgain).
        }

        // With a turn booked the poller may still call (its socket stays readable): that turn
        // reads and flushes, this call does neither.
        bool booked = _comingBack;
        try
        {
            if ((readiness & Readiness.Readable) != 0)
            {
                Read();
            }

            // One flush serves both: it sends whatever the client can take now.
            if (!IsClosed && !booked)
            {
                Flush();
            }
        }
        catch (Exception e)
        {
            // A bug costs this one connection, never the loop and everyone else on it.
            NetworkLog.ConnectionCrashed(_loop.Logger, Handle, _client, e);
            Close(CloseReason.Failed);
        }
    }

    /// <inheritdoc/>
    public string Describe()
    {
        IMessagePipeline pipeline = _exchange.Context.Pipeline;
        int step = pipeline.RunningStep;
        return $"{(step >= 0 ? "in " + pipeline.DescribeStep(step) : "outside the pipeline")}, serving {Peer}";
    }

    /// <summary>Between two messages, moves to the pipeline a reload brought if its move is due:
    /// for the loop's sweep of idle connections, which would otherwise hold the old one until
    /// their next message.</summary>
    public void MoveOnIfIdle()
    {
        if (State is ConnectionState.Open or ConnectionState.AwaitingProxyHeader)
        {
            _exchange.MoveOnIfIdle();
        }
    }

    /// <summary>For reports: <c>connection 12 from 10.0.0.5:40122 on listener 0</c>.</summary>
    public string Peer => $"connection {Handle} from {_client} on {_listener.Options.Name}";

    /// <summary>For a stopping server (<see cref="LoopContext.Stopping"/> is set), or a listener
    /// a reload removed (<see cref="LoopListener.Removed"/>): goes on
    /// answering what the client has sent, and closes as soon as it has caught up with its input
    /// and its replies are out (or when the loop's patience ends).</summary>
    public void BeginDrain()
    {
        Serve(Readiness.Readable);
        ScheduleDeadline(); // One that was lingering already may now close quietly.
    }

    /// <summary>
    /// It asked the poller for nothing (waiting for memory, its output empty), yet is told:
    /// epoll reports an error or a hang-up whatever the interest, and would go on reporting it.
    /// A peek finds out which: the error closes it, the client's end ends its input.
    /// </summary>
    private void OnUnaskedEvent()
    {
        int peeked = _socket.Receive(_loop.ReceiveBuffer.AsSpan(0, 1), SocketFlags.Peek, out SocketError error);
        if (error == SocketError.Success && peeked == 0)
        {
            EndInput();
            Flush();
        }
        else
        {
            Close(error is SocketError.Success or SocketError.WouldBlock ? SocketError.ConnectionReset : error);
        }
    }

    /// <summary>Closes at once, dropping whatever is unsent.</summary>
    public void Close(CloseReason reason)
    {
        if (IsClosed)
        {
            return;
        }

        State = ConnectionState.Closed;
        CountPause();
        _listener.Counters.Closed[(int)reason]++;

        // The slots first: a client that has seen this one close may take them at once.
        _listener.Release(_addressSlot);
        _loop.Connections.Remove(this);
        CancelDeadline();
        _loop.Reactor.Unregister(_socket);
        _socket.Dispose();
        _exchange.Close();
        _output.Release();
        _partialHeader?.Release();
    }

    /// <summary>The socket failed, or the client reset it: the cause, unless replies had already
    /// stopped for one of ours.</summary>
    private void Close(SocketError error)
    {
        NetworkLog.ConnectionFailed(_loop.Logger, Handle, _client, error);
        Close(State is ConnectionState.Finishing or ConnectionState.Lingering ? _endCause : CloseReason.Reset);
    }

    /// <summary>The exchange takes no more input; the replies before that still go out.</summary>
    private void Finish()
    {
        State = ConnectionState.Finishing;
        CountPause();
        _endCause = _exchange.FinishReason ?? CloseReason.Client;
        Linger(); // From now on the client has a deadline, whether it reads or not.
    }

    /// <summary>The client sent its last byte: its last message is answered, then we close.</summary>
    private void EndInput()
    {
        if (State == ConnectionState.AwaitingProxyHeader)
        {
            EndBeforeProxyHeader();
            return;
        }

        State = ConnectionState.HalfClosed;
        CountPause();
        _exchange.EndInput(_output);
        _endCause = _exchange.FinishReason ?? _endCause; // Its last message may have been too long.
    }

    /// <summary>No more replies will come: shut our sending side so the client reads their end.</summary>
    private void EndReplies()
    {
        if (State is ConnectionState.Open or ConnectionState.AwaitingProxyHeader)
        {
            // Only a stopping server, or age, ends the replies of an open one.
            _endCause = Stopping ? CloseReason.Shutdown : CloseReason.MaxDuration;
        }

        State = ConnectionState.Lingering;
        CountPause();
        _exchange.Abandon();
        _partialHeader?.Release(); // A stopping server waits no longer for a header.
        Linger();
        try
        {
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException e)
        {
            Close(e.SocketErrorCode); // Gone already.
        }
    }
}
