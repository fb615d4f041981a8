using System.Net.Sockets;
using PluggableEcho.Host.Buffers;

namespace PluggableEcho.Host.Networking;

/// <summary>
/// One client's socket, driven by its loop's readiness events: reads into the loop's shared
/// buffer, hands the bytes to its <see cref="MessageExchange"/>, sends the replies as fast as the
/// client takes them. It keeps only the output not sent yet, and no buffer at all while idle.
/// </summary>
internal sealed class Connection
{
    // A client that keeps sending yields the loop to the others after this many reads.
    private const int MaxReadsPerEvent = 16;

    // After the replies that explain why we stop reading, the client gets this long to close its
    // side; closing first, on unread input, would reset the connection and lose those replies.
    private const int LingerMilliseconds = 5000;

    // How long a client must have been silent for a stopping server to close on it.
    private const int QuietMilliseconds = 500;

    private readonly Socket _socket;
    private readonly LoopContext _loop;
    private readonly MessageExchange _exchange;
    private readonly ByteBuffer _output = new();
    private Readiness _interest = Readiness.Readable;
    private bool _inputEnded;
    private bool _endSent;
    private bool _draining;
    private long _lastActive;
    private long _lingerUntil;

    public Connection(Socket socket, LoopContext loop)
    {
        _socket = socket;
        _loop = loop;
        _exchange = new MessageExchange(loop.Exchange, socket.RemoteEndPoint);
        _lastActive = loop.Now;
        Handle = (int)socket.Handle;
    }

    public int Handle { get; }

    public bool IsClosed { get; private set; }

    public void Open() => _loop.Poller.Add(_socket, _interest);

    public void OnReadable()
    {
        Read();
        if (!IsClosed)
        {
            Flush();
        }
    }

    public void OnWritable() => Flush();

    /// <summary>For a stopping server: goes on answering what the client has sent, and closes
    /// as soon as it has caught up with its input and its replies are out (or when the loop's
    /// patience ends).</summary>
    public void BeginDrain()
    {
        _draining = true;
        OnReadable();
    }

    /// <summary>Whether the connection has been idle too long, lingered long enough, or can go
    /// now that the server stops.</summary>
    public bool IsExpired(long now, long idleTimeoutMilliseconds) =>
        (_lingerUntil != 0 && now >= _lingerUntil) ||
        (idleTimeoutMilliseconds > 0 && now - _lastActive >= idleTimeoutMilliseconds) ||
        CanCloseQuietly(now);

    /// <summary>Closes at once, dropping whatever is unsent.</summary>
    public void Close(SocketError reason = SocketError.Success)
    {
        if (IsClosed)
        {
            return;
        }

        IsClosed = true;
        if (reason != SocketError.Success)
        {
            NetworkLog.ConnectionFailed(_loop.Logger, Handle, reason);
        }

        if (_lingerUntil != 0)
        {
            _loop.Lingering--;
        }

        // The slot first: a client that has seen this one close may take it at once.
        _loop.Slots.Release();
        _loop.Poller.Remove(_socket);
        _socket.Dispose();
        _exchange.Release();
        _output.Release();
    }

    private void Read()
    {
        Span<byte> buffer = _loop.ReceiveBuffer;
        for (int reads = 0; reads < MaxReadsPerEvent && ShouldRead(_loop.Limits.OutputBufferBytes); reads++)
        {
            int received = _socket.Receive(buffer, SocketFlags.None, out SocketError error);
            if (error == SocketError.WouldBlock)
            {
                return;
            }

            if (error != SocketError.Success)
            {
                Close(error);
                return;
            }

            if (received == 0)
            {
                _inputEnded = true;
                _exchange.EndInput(_output);
                return;
            }

            if (_exchange.Finished)
            {
                continue; // Dropped: neither activity nor anything to answer.
            }

            _lastActive = _loop.Now;
            _exchange.Receive(buffer[..received], _output);
            if (_exchange.Finished)
            {
                Linger(); // From now on the client has a deadline, whether it reads or not.
            }

            if (received < buffer.Length)
            {
                return; // The kernel had no more: save the receive that would say WouldBlock.
            }
        }
    }

    private void Flush()
    {
        while (!_output.IsEmpty)
        {
            int sent = _socket.Send(_output.WrittenSpan, SocketFlags.None, out SocketError error);
            if (error == SocketError.WouldBlock)
            {
                break;
            }

            if (error != SocketError.Success)
            {
                Close(error);
                return;
            }

            _lastActive = _loop.Now;
            _output.Consume(sent);
        }

        if (_output.IsEmpty)
        {
            _output.Release();
            if (_inputEnded)
            {
                Close();
                return;
            }

            // Done answering: under the exchange's own terms, or for a stopping server once the
            // client's input so far is answered.
            if (!_endSent && (_exchange.Finished || (_draining && !HasUnreadInput())))
            {
                EndReplies();
                if (IsClosed)
                {
                    return;
                }
            }

            if (CanCloseQuietly(_loop.Now))
            {
                Close();
                return;
            }
        }

        UpdateInterest();
    }

    /// <summary>
    /// No more replies will come: shut our sending side so the client reads their end. The
    /// client's further input is read and dropped until it closes too, or lingers too long:
    /// closing on unread input would reset the connection and throw away replies still on their
    /// way to it.
    /// </summary>
    private void EndReplies()
    {
        _endSent = true;
        _exchange.Abandon();
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

    /// <summary>
    /// For a stopping server, whether closing now can lose nothing: every reply is out and
    /// acknowledged, and the client has been quiet for a while, so that no input of its is likely
    /// to arrive after the close and reset the connection (which would discard replies it has
    /// not read yet). A client that keeps talking is waited for until it closes, or the
    /// shutdown timeout.
    /// </summary>
    private bool CanCloseQuietly(long now) =>
        _draining && _endSent && _output.IsEmpty && now - _lastActive >= QuietMilliseconds && AllDelivered();

    private void Linger()
    {
        if (_lingerUntil == 0)
        {
            _lingerUntil = _loop.Now + LingerMilliseconds;
            _loop.Lingering++;
        }
    }

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

    /// <summary>
    /// Whether to take input: not after its end, and not while too much output waits. A
    /// finished exchange drops its input, so it cannot add to the output. The read loop and the
    /// poller's interest must agree on this, or the loop would wake for input it then will not read.
    /// </summary>
    private bool ShouldRead(int outputLimit) =>
        !_inputEnded && (_exchange.Finished || _output.Length < outputLimit);

    private void UpdateInterest()
    {
        bool reading = (_interest & Readiness.Readable) != 0;
        Readiness wanted = Readiness.None;
        if (ShouldRead(reading ? _loop.Limits.OutputBufferBytes : _loop.Limits.OutputLowWatermark))
        {
            wanted |= Readiness.Readable;
        }

        if (!_output.IsEmpty)
        {
            wanted |= Readiness.Writable;
        }

        if (wanted != _interest)
        {
            _interest = wanted;
            _loop.Poller.Change(_socket, wanted);
        }
    }
}
