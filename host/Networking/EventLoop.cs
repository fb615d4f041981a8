using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Net.Sockets;

namespace PluggableEcho.Host.Networking;

/// <summary>
/// One thread, one poller, the connections it owns: the original server's single polling loop,
/// except that it sleeps in the poller until something is ready or due instead of spinning.
/// </summary>
internal sealed class EventLoop
{
    private const int MaxEventsPerWait = 512;
    private const int MaxAcceptsPerEvent = 64;

    // After an accept fails for want of resources (no file descriptors left, say), the listener
    // stays readable: wait this long before trying again rather than spin on it.
    private const int AcceptPauseMilliseconds = 100;

    // At most one warning a second while max_connections turns clients away.
    private const int RejectWarningMilliseconds = 1000;

    // How often idle and lingering connections are looked over, at most and at least.
    private const int MinScanMilliseconds = 10;
    private const int MaxScanMilliseconds = 1000;

    private readonly string _name;
    private readonly LoopContext _context;
    private readonly Socket? _listener;
    private readonly int _listenerHandle;
    private readonly PollEvent[] _fired = new PollEvent[MaxEventsPerWait];
    private readonly ConcurrentQueue<Socket> _handedOver = new();
    // Continuations run on the loop's thread as it ends, so that the server's Completion is
    // settled by the time the thread has been joined.
    private readonly TaskCompletionSource _completion = new();
    private readonly long _idleTimeout;
    private readonly int _scanInterval;
    private readonly long _spinTicks;
    private readonly long _shutdownTimeout;
    private long _spinUntil;
    private Connection?[] _connections = new Connection?[1024];
    private EventLoop[] _acceptFor = [];
    private int _nextLoop;
    private int _open;
    private long _acceptPausedUntil;
    private long _nextScan;
    private long _drainDeadline;
    private long _lastRejectWarning = long.MinValue / 2;
    private bool _draining;
    private Thread? _thread;
    private volatile bool _stopRequested;

    // Set before the loop's last look at the hand-over queue: a hand-over that sees it closes
    // the client itself.
    private volatile bool _ended;

    /// <param name="listener">The socket this loop accepts from, if any: its own with SO_REUSEPORT,
    /// or the only one, whose clients it then shares out (see <see cref="AcceptFor"/>).</param>
    public EventLoop(string name, LoopContext context, Socket? listener, TimeSpan spin, TimeSpan shutdownTimeout)
    {
        _shutdownTimeout = (long)shutdownTimeout.TotalMilliseconds;
        _spinTicks = (long)(spin.TotalSeconds * Stopwatch.Frequency);
        _name = name;
        _context = context;
        _listener = listener;
        _listenerHandle = listener is null ? -1 : (int)listener.Handle;
        _idleTimeout = (long)context.Limits.IdleTimeout.TotalMilliseconds;
        _scanInterval = _idleTimeout > 0 ? (int)Math.Clamp(_idleTimeout / 4, MinScanMilliseconds, MaxScanMilliseconds) : MaxScanMilliseconds;
    }

    /// <summary>Dispose it only once the loop has ended, or never started.</summary>
    public LoopContext Context => _context;

    /// <summary>Completes when the loop has stopped; faults if it stopped on an error.</summary>
    public Task Completion => _completion.Task;

    /// <summary>Makes this loop, the acceptor, deal the clients it accepts out to <paramref name="loops"/> in turn.</summary>
    public void AcceptFor(EventLoop[] loops) => _acceptFor = loops;

    public void Start()
    {
        if (_listener is not null)
        {
            _context.Poller.Add(_listener, Readiness.Readable);
        }

        _thread = new Thread(Run) { Name = _name, IsBackground = true };
        _thread.Start();
    }

    /// <summary>Asks the loop to stop accepting, let its clients take their replies, and end. Safe from any thread.</summary>
    public void RequestStop()
    {
        if (!_stopRequested && _thread is not null)
        {
            _stopRequested = true;
            _context.Poller.Wake();
        }
    }

    /// <returns>False if the loop has not ended in time (a transform that never returns, say).</returns>
    public bool Join(TimeSpan timeout) => _thread?.Join(timeout) ?? true;

    /// <summary>Gives this loop a client another loop accepted. Safe from any thread.</summary>
    private void HandOver(Socket socket)
    {
        _handedOver.Enqueue(socket);
        if (_ended)
        {
            OpenHandedOver(); // Too late: closes it. The loop itself can no longer.
        }
        else
        {
            _context.Poller.Wake();
        }
    }

    private void Run()
    {
        try
        {
            while (true)
            {
                _context.Now = Environment.TickCount64;
                int count = _context.Poller.Wait(_fired, MillisecondsUntilDue());
                _context.Now = Environment.TickCount64;
                if (count > 0 && _spinTicks > 0)
                {
                    _spinUntil = Stopwatch.GetTimestamp() + _spinTicks;
                }

                for (int i = 0; i < count; i++)
                {
                    Dispatch(_fired[i]);
                }

                OpenHandedOver();
                RunTimers();
                if (_stopRequested && !_draining)
                {
                    BeginDrain();
                }

                if (_draining && (_open == 0 || _context.Now >= _drainDeadline))
                {
                    break;
                }
            }

            int open = CloseAll();
            NetworkLog.Stopped(_context.Logger, _name, open);
            _completion.SetResult();
        }
        catch (Exception e)
        {
            NetworkLog.LoopCrashed(_context.Logger, _name, e);
            CloseAll();
            _completion.SetException(e);
        }
    }

    private void Dispatch(PollEvent fired)
    {
        if (fired.Handle == _listenerHandle)
        {
            AcceptPending();
            return;
        }

        Connection? connection = fired.Handle < _connections.Length ? _connections[fired.Handle] : null;
        if (connection is not null)
        {
            Guarded(connection, fired.Readiness, static (c, readiness) =>
            {
                if ((readiness & Readiness.Readable) != 0)
                {
                    c.OnReadable();
                }

                if ((readiness & Readiness.Writable) != 0 && !c.IsClosed)
                {
                    c.OnWritable();
                }
            });
        }
    }

    /// <summary>Runs an action on a connection; a bug costs that one connection, never the loop
    /// and everyone else on it.</summary>
    private void Guarded<T>(Connection connection, T argument, Action<Connection, T> action)
    {
        try
        {
            action(connection, argument);
        }
        catch (Exception e)
        {
            NetworkLog.ConnectionCrashed(_context.Logger, connection.Handle, e);
            connection.Close();
        }

        if (connection.IsClosed)
        {
            _connections[connection.Handle] = null;
            _open--;
        }
    }

    private void AcceptPending()
    {
        // A burst of clients is taken in one go, but bounded so that the clients already
        // connected still get their turn.
        for (int i = 0; i < MaxAcceptsPerEvent && !_draining; i++)
        {
            if (i > 0 && !_listener!.Poll(0, SelectMode.SelectRead))
            {
                return;
            }

            Socket socket;
            try
            {
                socket = _listener!.Accept();
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionAborted or SocketError.ConnectionReset)
            {
                continue; // The client gave up before we got to it.
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
            {
                return; // Another loop's listener in the group, or another thread, was quicker.
            }
            catch (SocketException e)
            {
                NetworkLog.AcceptFailed(_context.Logger, e.SocketErrorCode, AcceptPauseMilliseconds);
                _context.Poller.Change(_listener!, Readiness.None);
                _acceptPausedUntil = _context.Now + AcceptPauseMilliseconds;
                return;
            }

            Place(socket);
        }
    }

    private void Place(Socket socket)
    {
        if (!_context.Slots.TryTake())
        {
            Reject(socket);
            return;
        }

        if (_acceptFor.Length == 0)
        {
            Open(socket);
            return;
        }

        EventLoop owner = _acceptFor[_nextLoop];
        _nextLoop = (_nextLoop + 1) % _acceptFor.Length;
        if (owner == this)
        {
            Open(socket);
        }
        else
        {
            owner.HandOver(socket);
        }
    }

    /// <summary>Over max_connections: the client is told, as Redis tells it, and closed.</summary>
    private void Reject(Socket socket)
    {
        if (_context.Now - _lastRejectWarning >= RejectWarningMilliseconds)
        {
            _lastRejectWarning = _context.Now;
            NetworkLog.MaxConnectionsReached(_context.Logger, _context.Limits.MaxConnections);
        }

        socket.Blocking = false;
        socket.Send(_context.Exchange.Notices.MaxConnectionsReached, SocketFlags.None, out _);
        socket.Shutdown(SocketShutdown.Send);

        // Closing on unread input would reset the connection and could lose the notice: read
        // what the client sent already.
        socket.Receive(_context.ReceiveBuffer, SocketFlags.None, out _);
        socket.Dispose();
    }

    private void OpenHandedOver()
    {
        while (_handedOver.TryDequeue(out Socket? socket))
        {
            if (_draining)
            {
                socket.Dispose();
                _context.Slots.Release();
            }
            else
            {
                Open(socket);
            }
        }
    }

    private void Open(Socket socket)
    {
        try
        {
            socket.Blocking = false;
            socket.NoDelay = true;
            var connection = new Connection(socket, _context);
            connection.Open();
            Track(connection);
        }
        catch (Exception e) when (e is SocketException or Win32Exception)
        {
            // Out of kernel memory or epoll watches, say: this client cannot be served, others can.
            NetworkLog.OpenFailed(_context.Logger, e);
            socket.Dispose();
            _context.Slots.Release();
        }
    }

    private void Track(Connection connection)
    {
        if (connection.Handle >= _connections.Length)
        {
            Array.Resize(ref _connections, Math.Max(_connections.Length * 2, connection.Handle + 1));
        }

        _connections[connection.Handle] = connection;
        _open++;
    }

    private bool ScanDue => _open > 0 && (_idleTimeout > 0 || _context.Lingering > 0);

    private int MillisecondsUntilDue()
    {
        if (_spinUntil != 0 && Stopwatch.GetTimestamp() < _spinUntil)
        {
            return 0; // Still spinning after activity: poll, do not sleep.
        }

        long due = long.MaxValue;
        if (_acceptPausedUntil != 0)
        {
            due = _acceptPausedUntil;
        }

        if (ScanDue)
        {
            if (_nextScan == 0)
            {
                _nextScan = _context.Now + _scanInterval;
            }

            due = Math.Min(due, _nextScan);
        }

        if (_draining)
        {
            due = Math.Min(due, _drainDeadline);
        }

        return due == long.MaxValue ? -1 : (int)Math.Clamp(due - _context.Now, 0, int.MaxValue);
    }

    private void RunTimers()
    {
        long now = _context.Now;
        if (_acceptPausedUntil != 0 && now >= _acceptPausedUntil && !_draining)
        {
            _acceptPausedUntil = 0;
            _context.Poller.Change(_listener!, Readiness.Readable);
        }

        if (_nextScan != 0 && now >= _nextScan)
        {
            _nextScan = 0;
            CloseExpired(now);
        }
    }

    private void CloseExpired(long now)
    {
        foreach (Connection? connection in _connections)
        {
            if (connection is not null && connection.IsExpired(now, _idleTimeout))
            {
                NetworkLog.ConnectionExpired(_context.Logger, connection.Handle);
                Guarded(connection, 0, static (c, _) => c.Close());
            }
        }
    }

    private void BeginDrain()
    {
        _draining = true;
        _drainDeadline = _context.Now + _shutdownTimeout;
        _acceptPausedUntil = 0;
        if (_listener is not null)
        {
            // Closed, not just unwatched: new clients are refused at once instead of waiting in
            // a backlog nobody accepts from.
            _context.Poller.Remove(_listener);
            _listener.Dispose();
        }

        OpenHandedOver(); // Closes them: too late to serve.
        foreach (Connection? connection in _connections)
        {
            if (connection is not null)
            {
                Guarded(connection, 0, static (c, _) => c.BeginDrain());
            }
        }
    }

    private int CloseAll()
    {
        _draining = true;
        _ended = true;
        OpenHandedOver();
        int open = 0;
        foreach (Connection? connection in _connections)
        {
            if (connection is { IsClosed: false })
            {
                open++;
                connection.Close();
            }
        }

        Array.Clear(_connections);
        _open = 0;
        return open;
    }
}
