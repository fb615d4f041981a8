using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PluggableEcho.Tests.Support;

/// <summary>A blocking loopback client whose every read gives up after a timeout, so no test hangs.</summary>
internal sealed class TestClient : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly Socket _socket;
    private readonly List<byte> _buffered = [];

    public TestClient(IPEndPoint server)
    {
        _socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
        {
            ReceiveTimeout = (int)Timeout.TotalMilliseconds,
            SendTimeout = (int)Timeout.TotalMilliseconds,
            NoDelay = true,
        };
        if (!_socket.ConnectAsync(server).Wait(Timeout))
        {
            _socket.Dispose();
            throw new TimeoutException($"could not connect to {server} within {Timeout}");
        }
    }

    /// <summary>This end of the connection, as the server sees its client.</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public void Send(string text) => Send(Encoding.UTF8.GetBytes(text));

    public void Send(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            bytes = bytes[_socket.Send(bytes)..];
        }
    }

    /// <summary>
    /// Sends copies of <paramref name="chunk"/> without reading until the kernel takes no more,
    /// that is until neither the server nor the socket buffers between us accept another byte
    /// for <paramref name="patience"/> (zero: the first refusal ends it).
    /// </summary>
    /// <returns>How many bytes were sent; the last chunk may have gone only in part.</returns>
    public long SendUntilRefused(byte[] chunk, long maxBytes, TimeSpan patience = default)
    {
        _socket.Blocking = false;
        try
        {
            long sent = 0;
            while (sent < maxBytes)
            {
                int offset = (int)(sent % chunk.Length);
                int length = (int)Math.Min(chunk.Length - offset, maxBytes - sent);
                int taken = _socket.Send(chunk, offset, length, SocketFlags.None, out SocketError error);
                if (error == SocketError.WouldBlock)
                {
                    if (_socket.Poll(patience, SelectMode.SelectWrite))
                    {
                        continue;
                    }

                    return sent;
                }

                Assert.That(error, Is.EqualTo(SocketError.Success));
                sent += taken;
            }

            return sent;
        }
        finally
        {
            _socket.Blocking = true;
        }
    }

    /// <summary>Reads <paramref name="count"/> bytes as they come, without keeping them, and
    /// checks each against <paramref name="expectedAt"/>(its offset in the stream read so far).</summary>
    public void ReadAndCheck(long count, Func<long, byte> expectedAt)
    {
        long offset = 0;
        foreach (byte b in Take(_buffered.Count))
        {
            Assert.That(b, Is.EqualTo(expectedAt(offset)), $"byte {offset}");
            offset++;
        }

        byte[] chunk = new byte[64 * 1024];
        while (offset < count)
        {
            int received = _socket.Receive(chunk, 0, (int)Math.Min(chunk.Length, count - offset), SocketFlags.None);
            if (received == 0)
            {
                throw new IOException($"the server closed the connection after {offset} of {count} bytes");
            }

            for (int i = 0; i < received; i++, offset++)
            {
                if (chunk[i] != expectedAt(offset))
                {
                    Assert.Fail($"byte {offset}: expected {expectedAt(offset)}, got {chunk[i]}");
                }
            }
        }
    }

    /// <summary>Closes at once with a reset, whatever is unsent or unread.</summary>
    public void Reset()
    {
        _socket.LingerState = new LingerOption(true, 0);
        _socket.Close();
    }

    /// <summary>Tells the server we will send no more; replies can still be read.</summary>
    public void EndSending() => _socket.Shutdown(SocketShutdown.Send);

    /// <summary>Reads up to and including the next \n.</summary>
    public string ReadLine()
    {
        int newline;
        while ((newline = _buffered.IndexOf((byte)'\n')) < 0)
        {
            FillOrThrow();
        }

        return Encoding.UTF8.GetString(Take(newline + 1));
    }

    /// <summary>Reads up to and including the next \n; null at a clean end of stream with nothing left.</summary>
    public string? ReadLineOrEnd()
    {
        int newline;
        while ((newline = _buffered.IndexOf((byte)'\n')) < 0)
        {
            if (Fill() == 0)
            {
                return _buffered.Count == 0 ? null : throw new IOException($"the stream ended inside a line of {_buffered.Count} bytes");
            }
        }

        return Encoding.UTF8.GetString(Take(newline + 1));
    }

    public byte[] ReadExactly(int count)
    {
        while (_buffered.Count < count)
        {
            FillOrThrow();
        }

        return Take(count);
    }

    /// <summary>Reads until the server closes the connection.</summary>
    public byte[] ReadToEnd()
    {
        while (Fill() > 0)
        {
        }

        return Take(_buffered.Count);
    }

    public void Dispose() => _socket.Dispose();

    private int Fill()
    {
        var chunk = new byte[64 * 1024];
        int received = _socket.Receive(chunk); // Throws once the timeout passes.
        _buffered.AddRange(chunk.AsSpan(0, received));
        return received;
    }

    private void FillOrThrow()
    {
        if (Fill() == 0)
        {
            throw new IOException($"the server closed the connection; {_buffered.Count} bytes were left unread");
        }
    }

    private byte[] Take(int count)
    {
        byte[] taken = [.. _buffered.Take(count)];
        _buffered.RemoveRange(0, count);
        return taken;
    }
}
