using System.Diagnostics;
using System.Net.Sockets;
using PluggableEcho.Host.Networking;

namespace PluggableEcho.Host.Bench;

/// <summary>
/// One client connection of the benchmark: keeps its quota of messages in flight, checks each
/// reply as it streams in, and records latencies. Nothing is allocated per message.
/// </summary>
internal sealed class BenchConnection
{
    // Stream mode: how far sending may run ahead of the replies.
    private const int StreamWindow = 4 << 20;

    private readonly Socket _socket;
    private readonly BenchStats _stats;
    private readonly byte[] _sendBatch;
    private readonly int _messageLength;
    private readonly byte[]? _expected;
    private readonly bool _stream;
    private readonly long[] _sentAt;
    private int _oldest;
    private int _inFlight;
    private int _unsent;
    private int _replyPosition;
    private bool _replyBroken;
    private long _outstandingBytes;

    /// <param name="sendBatch">The message repeated as many times as may be in flight (stream: one chunk).</param>
    /// <param name="expected">One reply as it must be, or null when any line will do.</param>
    public BenchConnection(Socket socket, BenchStats stats, byte[] sendBatch, int messageLength, byte[]? expected, int inFlight, bool stream)
    {
        _socket = socket;
        _stats = stats;
        _sendBatch = sendBatch;
        _messageLength = messageLength;
        _expected = expected;
        _stream = stream;
        _sentAt = new long[inFlight];
        Handle = (int)socket.Handle;
    }

    public Socket Socket => _socket;

    public int Handle { get; }

    /// <summary>What the loop last asked the poller for.</summary>
    public Readiness Interest { get; set; } = Readiness.Readable;

    /// <summary>Closed by the server, or broken: the loop drops it.</summary>
    public bool Failed { get; private set; }

    public bool WantsWrite => _unsent > 0 || (_stream && _outstandingBytes < StreamWindow);

    /// <summary>Puts its first messages in flight.</summary>
    public void Start()
    {
        if (!_stream)
        {
            while (_inFlight < _sentAt.Length)
            {
                Queue();
            }
        }

        Send();
    }

    public void OnWritable() => Send();

    public void OnReadable(byte[] buffer)
    {
        while (true)
        {
            int received = _socket.Receive(buffer, SocketFlags.None, out SocketError error);
            if (error == SocketError.WouldBlock)
            {
                break;
            }

            if (error != SocketError.Success || received == 0)
            {
                Fail();
                return;
            }


            _stats.Bytes += received;
            Check(buffer.AsSpan(0, received));
            if (received < buffer.Length)
            {
                break;
            }
        }

        Send();
    }

    private void Queue()
    {
        _sentAt[(_oldest + _inFlight) % _sentAt.Length] = Stopwatch.GetTimestamp();
        _inFlight++;
        _unsent += _messageLength;
    }

    private void Send()
    {
        while (true)
        {
            if (_unsent == 0 && _stream && _outstandingBytes < StreamWindow)
            {
                _unsent = _sendBatch.Length;
            }

            if (_unsent == 0)
            {
                return;
            }

            // The batch repeats the message, so its last _unsent bytes continue the stream.
            int sent = _socket.Send(_sendBatch.AsSpan(_sendBatch.Length - _unsent), SocketFlags.None, out SocketError error);
            if (error == SocketError.WouldBlock)
            {
                return;
            }

            if (error != SocketError.Success)
            {
                Fail();
                return;
            }

            _unsent -= sent;
            _outstandingBytes += sent;
        }
    }

    /// <summary>Walks the received bytes reply by reply.</summary>
    private void Check(ReadOnlySpan<byte> received)
    {
        _outstandingBytes -= received.Length;
        while (!received.IsEmpty)
        {
            int taken;
            bool ended;
            if (_expected is null)
            {
                int newline = received.IndexOf((byte)'\n');
                ended = newline >= 0;
                taken = ended ? newline + 1 : received.Length;
            }
            else
            {
                taken = Math.Min(received.Length, _expected.Length - _replyPosition);
                _replyBroken |= !received[..taken].SequenceEqual(_expected.AsSpan(_replyPosition, taken));
                _replyPosition += taken;
                ended = _replyPosition == _expected.Length;
            }

            received = received[taken..];
            if (ended)
            {
                ReplyComplete();
            }
        }
    }

    private void ReplyComplete()
    {
        _stats.Messages++;
        if (_replyBroken)
        {
            _stats.Mismatches++;
        }

        _replyBroken = false;
        _replyPosition = 0;
        if (_stream)
        {
            return;
        }

        if (_inFlight > 0)
        {
            _stats.Latency.Record((long)Stopwatch.GetElapsedTime(_sentAt[_oldest]).TotalNanoseconds);
            _oldest = (_oldest + 1) % _sentAt.Length;
            _inFlight--;
        }

        Queue();
    }

    private void Fail()
    {
        _stats.Errors++;
        Failed = true;
    }
}
