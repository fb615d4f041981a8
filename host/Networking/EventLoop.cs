using System.ComponentModel;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace PluggableEcho.Host.Networking;

/// <summary>
/// One thread, one poller, every connection it accepted: the original server's single polling
/// loop, except that it sleeps in the poller until something is ready instead of spinning.
/// </summary>
internal sealed class EventLoop : IDisposable
{
    private const int MaxEventsPerWait = 512;
    private const int MaxAcceptsPerEvent = 64;

    // After an accept fails for want of resources (no file descriptors left, say), the listener
    // stays readable: wait this long before trying again rather than spin on it.
    private const int AcceptPauseMilliseconds = 100;

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private readonly Socket _listener;
    private readonly int _listenerHandle;
    private readonly LoopContext _context;
    private readonly PollEvent[] _fired = new PollEvent[MaxEventsPerWait];
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Connection?[] _connections = new Connection?[1024];
    private long _acceptPausedUntil;
    private Thread? _thread;
    private volatile bool _stopping;

    public EventLoop(Socket listener, LoopContext context)
    {
        _listener = listener;
        _listenerHandle = (int)listener.Handle;
        _context = context;
    }

    /// <summary>Completes when the loop has stopped; faults if it stopped on an error.</summary>
    public Task Completion => _completion.Task;

    public void Start(string name)
    {
        _context.Poller.Add(_listenerHandle, Readiness.Readable);
        _thread = new Thread(Run) { Name = name, IsBackground = true };
        _thread.Start();
    }

    /// <summary>Asks the loop to close its connections and end, and waits until it has.</summary>
    /// <returns>False if the loop did not end in time (a transform that never returns, say).</returns>
    public bool Stop(TimeSpan timeout)
    {
        if (!_stopping)
        {
            _stopping = true;
            _context.Poller.Wake();
        }

        return _thread?.Join(timeout) ?? true;
    }

    public void Dispose()
    {
        if (Stop(StopTimeout))
        {
            // Only once the loop can no longer be using them.
            _context.Poller.Dispose();
            _context.Pipeline.Dispose();
        }
        else
        {
            NetworkLog.StopTimedOut(_context.Logger, StopTimeout.TotalSeconds);
        }
    }

    private void Run()
    {
        try
        {
            while (!_stopping)
            {
                int count = _context.Poller.Wait(_fired, MillisecondsUntilAcceptResumes());
                for (int i = 0; i < count; i++)
                {
                    Dispatch(_fired[i]);
                }

                ResumeAcceptingWhenDue();
            }

            int open = CloseAll();
            NetworkLog.Stopped(_context.Logger, open);
            _completion.SetResult();
        }
        catch (Exception e)
        {
            NetworkLog.LoopCrashed(_context.Logger, e);
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
        if (connection is null)
        {
            return; // Closed earlier in this batch.
        }

        try
        {
            if ((fired.Readiness & Readiness.Readable) != 0)
            {
                connection.OnReadable();
            }

            if ((fired.Readiness & Readiness.Writable) != 0 && !connection.IsClosed)
            {
                connection.OnWritable();
            }
        }
        catch (Exception e)
        {
            // A bug must cost one connection, never the loop and everyone else on it.
            NetworkLog.ConnectionCrashed(_context.Logger, connection.Handle, e);
            connection.Close();
        }

        if (connection.IsClosed)
        {
            _connections[connection.Handle] = null;
        }
    }

    private void AcceptPending()
    {
        // A burst of clients is taken in one go, but bounded so that the clients already
        // connected still get their turn.
        for (int i = 0; i < MaxAcceptsPerEvent; i++)
        {
            if (i > 0 && !_listener.Poll(0, SelectMode.SelectRead))
            {
                return;
            }

            Socket socket;
            try
            {
                socket = _listener.Accept();
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionAborted or SocketError.ConnectionReset)
            {
                continue; // The client gave up before we got to it.
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
            {
                return;
            }
            catch (SocketException e)
            {
                NetworkLog.AcceptFailed(_context.Logger, e.SocketErrorCode, AcceptPauseMilliseconds);
                _context.Poller.Change(_listenerHandle, Readiness.None);
                _acceptPausedUntil = Environment.TickCount64 + AcceptPauseMilliseconds;
                return;
            }

            Open(socket);
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
        }
    }

    private int MillisecondsUntilAcceptResumes() =>
        _acceptPausedUntil == 0 ? -1 : (int)Math.Max(0, _acceptPausedUntil - Environment.TickCount64);

    private void ResumeAcceptingWhenDue()
    {
        if (_acceptPausedUntil != 0 && Environment.TickCount64 >= _acceptPausedUntil)
        {
            _acceptPausedUntil = 0;
            _context.Poller.Change(_listenerHandle, Readiness.Readable);
        }
    }

    private void Track(Connection connection)
    {
        if (connection.Handle >= _connections.Length)
        {
            Array.Resize(ref _connections, Math.Max(_connections.Length * 2, connection.Handle + 1));
        }

        _connections[connection.Handle] = connection;
    }

    private int CloseAll()
    {
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
        return open;
    }
}
