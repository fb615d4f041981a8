using System.Net;
using System.Net.Sockets;

namespace PluggableEcho.Host.Networking;

/// <summary>
/// The portable poller, on <see cref="Socket.Select(System.Collections.IList, System.Collections.IList, System.Collections.IList, int)"/>:
/// every wait hands the kernel the whole watch list, so its cost grows with the connections
/// watched, not just the ready ones — fine for hundreds, epoll's job beyond (and on Linux one
/// wait cannot watch more sockets than the process may open files). A connected pair of
/// loopback sockets stands in for epoll's eventfd to wake it.
/// </summary>
internal sealed class SelectPoller : IPoller
{
    private readonly Dictionary<int, Watched> _watched = [];
    private readonly List<Socket> _readable = [];
    private readonly List<Socket> _writable = [];
    private readonly Socket _wakeReceiver;
    private readonly Socket _wakeSender;
    private readonly byte[] _wakeDrain = new byte[64];
    private int _generation;

    public SelectPoller()
    {
        (_wakeReceiver, _wakeSender) = ConnectedPair();
    }

    public void Add(Socket socket, Readiness interest) => _watched.Add((int)socket.Handle, new Watched(socket) { Interest = interest });

    public void Change(Socket socket, Readiness interest) => _watched[(int)socket.Handle].Interest = interest;

    public void Remove(Socket socket) => _watched.Remove((int)socket.Handle);

    public int Wait(Span<PollEvent> fired, int timeoutMilliseconds)
    {
        _readable.Clear();
        _writable.Clear();
        _readable.Add(_wakeReceiver);
        foreach (Watched watched in _watched.Values)
        {
            if ((watched.Interest & Readiness.Readable) != 0)
            {
                _readable.Add(watched.Socket);
            }

            if ((watched.Interest & Readiness.Writable) != 0)
            {
                _writable.Add(watched.Socket);
            }

        }

        int microseconds = timeoutMilliseconds < 0 ? -1 : (int)Math.Min(int.MaxValue, timeoutMilliseconds * 1000L);
        // No error list: errors and hang-ups already show as readable or writable, and the error
        // list would also report urgent data, which stays pending while we do not read, and spin.
        // Every list entry is one pollfd, and the kernel refuses more of them than the process
        // may open files, so the fewer the better.
        Socket.Select(_readable, _writable.Count > 0 ? _writable : null, null, microseconds);

        // Readable and writable sockets come back in separate lists: merge them into one event each.
        _generation++;
        int filled = 0;
        Collect(_readable, Readiness.Readable, fired, ref filled);
        Collect(_writable, Readiness.Writable, fired, ref filled);
        return filled;
    }

    public void Wake() => _wakeSender.Send([1], SocketFlags.None, out _);

    public void Dispose()
    {
        _wakeSender.Dispose();
        _wakeReceiver.Dispose();
    }

    private void Collect(List<Socket> ready, Readiness readiness, Span<PollEvent> fired, ref int filled)
    {
        foreach (Socket socket in ready)
        {
            if (socket == _wakeReceiver)
            {
                _wakeReceiver.Receive(_wakeDrain, SocketFlags.None, out _);
                continue;
            }

            int handle = (int)socket.Handle;
            Watched watched = _watched[handle];
            if (watched.Generation == _generation)
            {
                fired[watched.Slot] = new PollEvent(handle, fired[watched.Slot].Readiness | readiness);
            }
            else if (filled < fired.Length)
            {
                // Level-triggered like epoll: what does not fit this time is reported next time.
                watched.Generation = _generation;
                watched.Slot = filled;
                fired[filled++] = new PollEvent(handle, readiness);
            }
        }
    }

    private static (Socket Receiver, Socket Sender) ConnectedPair()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var sender = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            sender.Connect(listener.LocalEndPoint!);
            Socket receiver = listener.Accept();
            receiver.Blocking = false;
            sender.Blocking = false; // A wake that finds the pipe full is a wake already pending.
            return (receiver, sender);
        }
        catch
        {
            sender.Dispose();
            throw;
        }
    }

    private sealed class Watched(Socket socket)
    {
        public Socket Socket { get; } = socket;

        public Readiness Interest { get; set; }

        public int Generation { get; set; }

        public int Slot { get; set; }
    }
}
