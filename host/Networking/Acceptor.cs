using System.Net;
using System.Net.Sockets;
using PluggableEcho.Host.Networking.Proxy;

namespace PluggableEcho.Host.Networking;

/// <summary>
/// Takes the clients of one listening socket on its loop's thread: admits them against
/// max_connections and max_connections_per_ip or tells them why not, and deals them out to the
/// loops that serve the listener (its own only, when each loop has a socket of its own).
/// </summary>
internal sealed class Acceptor : IReadinessHandler
{
    // A burst of clients is taken in one go, but bounded so that the clients already connected
    // still get their turn.
    private const int MaxAcceptsPerEvent = 64;

    // After an accept fails for want of resources (no file descriptors left, say), the socket
    // stays readable: wait this long before trying again rather than spin on it.
    private const int AcceptPauseMilliseconds = 100;

    private readonly Socket _socket;
    private readonly LoopContext _loop;
    private readonly LoopListener _listener;
    private readonly (EventLoop Loop, LoopListener Listener)[] _servers;
    private readonly LoopTimer _resume;
    private readonly WarningPace _fullWarning = new();
    private int _next;
    private bool _closed;

    /// <param name="listener">The listener as this loop serves it: its limits and notices.</param>
    /// <param name="servers">The loops the clients go to, in turn, each with its own side of the listener.</param>
    public Acceptor(Socket socket, LoopContext loop, LoopListener listener, (EventLoop, LoopListener)[] servers)
    {
        _socket = socket;
        _loop = loop;
        _listener = listener;
        _servers = servers;
        _resume = new LoopTimer(Resume);
    }

    /// <summary>The listener it accepts for, as its loop serves it.</summary>
    public LoopListener Listener => _listener;

    public void Start() => _loop.Reactor.Register(_socket, Readiness.Readable, this);

    public void OnReady(Readiness readiness)
    {
        // Readable says at least one waits; the queue's length, where the system tells it, says
        // how many, so no accept after the first needs a poll before it.
        int waiting = AcceptQueue.Waiting(_socket);
        int accepts = waiting < 0 ? MaxAcceptsPerEvent : Math.Clamp(waiting, 1, MaxAcceptsPerEvent);
        for (int i = 0; i < accepts && !_closed; i++)
        {
            if (waiting < 0 && i > 0 && !_socket.Poll(0, SelectMode.SelectRead))
            {
                return;
            }

            Socket socket;
            try
            {
                socket = _socket.Accept();
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionAborted or SocketError.ConnectionReset)
            {
                continue; // The client gave up before we got to it.
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
            {
                return; // Another loop's socket in the group, or another thread, was quicker.
            }
            catch (SocketException e)
            {
                NetworkLog.AcceptFailed(_loop.Logger, e.SocketErrorCode, AcceptPauseMilliseconds);
                _loop.Reactor.Change(_socket, Readiness.None);
                _loop.Reactor.Timers.Schedule(_resume, _loop.Reactor.Now + AcceptPauseMilliseconds);
                return;
            }

            _listener.Counters.Accepted++;
            Admit(socket);
        }
    }

    /// <inheritdoc/>
    public string Describe() => $"accepting clients for {_listener.Options.Name}";

    /// <summary>Stops accepting. Closed, not just unwatched: new clients are refused at once
    /// instead of waiting in a backlog nobody accepts from.</summary>
    public void Close()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        _loop.Reactor.Timers.Cancel(_resume);
        try
        {
            _loop.Reactor.Unregister(_socket);
        }
        finally
        {
            _socket.Dispose();
        }
    }

    private void Resume()
    {
        if (!_closed)
        {
            _loop.Reactor.Change(_socket, Readiness.Readable);
        }
    }

    private void Admit(Socket socket)
    {
        if (!_listener.Slots.TryTake())
        {
            _listener.Counters.RejectedMaxConnections++;
            if (_fullWarning.TryTake(_loop.Reactor.Now))
            {
                NetworkLog.MaxConnectionsReached(_loop.Logger, _listener.Limits.MaxConnections);
            }

            Reject(socket, _listener.Exchange.Notices.MaxConnectionsReached);
            return;
        }

        // Behind a PROXY header the address that counts is the client's it names, not the
        // balancer's: the connection takes that slot once it has read the header.
        IPAddress? address = null;
        if (_listener.Options.ProxyProtocol == ProxyProtocol.Off
            && !_listener.TryTakeAddressSlot(socket.RemoteEndPoint, _loop.Reactor.Now, out address))
        {
            _listener.Slots.Release();
            _listener.Counters.RejectedMaxConnectionsPerIp++;
            Reject(socket, _listener.Exchange.Notices.MaxConnectionsPerIpReached);
            return;
        }

        (EventLoop loop, LoopListener listener) = _servers[_next];
        _next = (_next + 1) % _servers.Length;
        if (!loop.Adopt(socket, listener, address))
        {
            _listener.Counters.RejectedShutdown++; // That loop has ended.
        }
    }

    /// <summary>Over a limit: the client is told, as Redis tells it, and closed.</summary>
    private void Reject(Socket socket, byte[] notice)
    {
        socket.Blocking = false;
        socket.Send(notice, SocketFlags.None, out _);
        socket.Shutdown(SocketShutdown.Send); // No error for a client that has reset: .NET lets ENOTCONN pass.

        // Closing on unread input would reset the connection and could lose the notice: read
        // what the client sent already.
        socket.Receive(_loop.ReceiveBuffer, SocketFlags.None, out _);
        socket.Dispose();
    }
}
