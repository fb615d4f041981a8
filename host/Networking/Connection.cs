using System.Net.Sockets;
using PluggableEcho.Host.Buffers;
using PluggableEcho.Host.Networking.Framing;
using PluggableEcho.Host.Pipeline;

namespace PluggableEcho.Host.Networking;

/// <summary>
/// One client, driven by its loop's readiness events. It keeps only an unfinished message and
/// the output the kernel has not taken yet, and holds no buffer at all while idle.
/// </summary>
internal sealed class Connection
{
    // Above this much unsent output the connection stops reading until the client catches up,
    // so a client that sends without reading cannot grow the server's memory without bound.
    internal const int OutputHighWatermark = 1 << 20;
    private const int OutputLowWatermark = OutputHighWatermark / 4;

    // An unfinished message may not grow past this: a client that never ends its line cannot
    // grow the server's memory without bound either.
    internal const int MaxMessageBytes = 1 << 20;

    private static readonly byte[] MessageTooLongReply = System.Text.Encoding.ASCII.GetBytes($"ERR message longer than {MaxMessageBytes} bytes");

    // A client that keeps sending yields the loop to the others after this many reads.
    private const int MaxReadsPerEvent = 16;

    private readonly Socket _socket;
    private readonly LoopContext _loop;
    private readonly ByteBuffer _unfinished = new();
    private readonly ByteBuffer _output = new();
    private Readiness _interest = Readiness.Readable;
    private bool _inputEnded;
    private bool _refused;
    private bool _endSent;

    public Connection(Socket socket, LoopContext loop)
    {
        _socket = socket;
        _loop = loop;
        Handle = (int)socket.Handle;
    }

    public int Handle { get; }

    public bool IsClosed { get; private set; }

    public void Open() => _loop.Poller.Add(Handle, _interest);

    public void OnReadable()
    {
        Span<byte> buffer = _loop.ReceiveBuffer;
        for (int reads = 0; reads < MaxReadsPerEvent && ShouldRead(OutputHighWatermark); reads++)
        {
            int received = _socket.Receive(buffer, SocketFlags.None, out SocketError error);
            if (error == SocketError.WouldBlock)
            {
                break;
            }

            if (error != SocketError.Success)
            {
                Close(error);
                return;
            }

            if (received == 0)
            {
                EndInput();
                break;
            }

            if (!_refused)
            {
                Consume(buffer[..received]);
            }

            if (received < buffer.Length)
            {
                break; // The kernel had no more: save the receive that would say WouldBlock.
            }
        }

        Flush();
    }

    public void OnWritable() => Flush();

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

        _loop.Poller.Remove(Handle);
        _socket.Dispose();
        _unfinished.Release();
        _output.Release();
    }

    private void Consume(ReadOnlySpan<byte> received)
    {
        if (_unfinished.IsEmpty)
        {
            int used = ReplyToWholeMessages(received, knownIncomplete: 0);
            if (used < received.Length && !_refused)
            {
                _unfinished.Write(received[used..]);
            }

            return;
        }

        int knownIncomplete = _unfinished.Length;
        _unfinished.Write(received);
        _unfinished.Consume(ReplyToWholeMessages(_unfinished.WrittenSpan, knownIncomplete));
        if (_unfinished.IsEmpty || _refused)
        {
            _unfinished.Release();
        }
    }

    /// <summary>
    /// Tells the client its message is too long after the replies before it. From then on its
    /// input is read and dropped until it closes: closing on unread input would make the kernel
    /// reset the connection and throw away the very replies that explain why.
    /// </summary>
    private void RefuseLongMessage()
    {
        NetworkLog.MessageTooLong(_loop.Logger, Handle, MaxMessageBytes);
        _unfinished.Release();
        _output.Write(MessageTooLongReply);
        _output.Write(_loop.Framer.NoticeEnding);
        _refused = true;
    }

    private int ReplyToWholeMessages(ReadOnlySpan<byte> input, int knownIncomplete)
    {
        int used = 0;
        while (!_refused)
        {
            FrameStatus status = _loop.Framer.TryReadFrame(input[used..], knownIncomplete, MaxMessageBytes, out Frame frame);
            if (status == FrameStatus.Incomplete)
            {
                break;
            }

            if (status != FrameStatus.Whole)
            {
                RefuseLongMessage();
                break;
            }

            ReadOnlySpan<byte> framed = input.Slice(used, frame.Length);
            Reply(framed.Slice(frame.MessageStart, frame.MessageLength), framed[frame.MessageEnd..]);
            used += frame.Length;
            knownIncomplete = 0;
        }

        return used;
    }

    /// <summary>Runs one message through the pipeline and queues the framed reply.</summary>
    private void Reply(ReadOnlySpan<byte> message, ReadOnlySpan<byte> ending)
    {
        IFramer framer = _loop.Framer;
        int start = _output.Length;
        _output.Reserve(framer.ReplyHeaderLength);
        MessageOutcome outcome = _loop.Pipeline.Run(message, _output);
        if (outcome != MessageOutcome.Reply)
        {
            _output.Truncate(start);
            return;
        }

        int headerEnd = start + framer.ReplyHeaderLength;
        framer.WriteReplyHeader(_output.WrittenRange(start, framer.ReplyHeaderLength), _output.Length - headerEnd);
        _output.Write(ending);
    }

    /// <summary>The client will send no more: its last, unterminated message still gets a reply.</summary>
    private void EndInput()
    {
        _inputEnded = true;
        if (!_unfinished.IsEmpty && !_refused)
        {
            Reply(_unfinished.WrittenSpan, []);
            _unfinished.Release();
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

            if (_refused && !_endSent)
            {
                _endSent = true;
                SendEnd();
                if (IsClosed)
                {
                    return;
                }
            }
        }

        UpdateInterest();
    }

    /// <summary>Shuts our sending side: the client reads the end of the replies.</summary>
    private void SendEnd()
    {
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
    /// Whether to take input: not after its end, and not while too much output waits. A refused
    /// client's input is dropped, so it cannot add to the output. The read loop and the poller's
    /// interest must agree on this, or the loop would wake for input it then will not read.
    /// </summary>
    private bool ShouldRead(int outputLimit) => !_inputEnded && (_refused || _output.Length < outputLimit);

    private void UpdateInterest()
    {
        bool reading = (_interest & Readiness.Readable) != 0;
        Readiness wanted = Readiness.None;
        if (ShouldRead(reading ? OutputHighWatermark : OutputLowWatermark))
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
            _loop.Poller.Change(Handle, wanted);
        }
    }
}
