using System.ComponentModel;
using System.Net;
using System.Net.Sockets;

namespace PluggableEcho.Host.Networking;

/// <summary>
/// One thread, one <see cref="Reactor"/>, the connections it owns: the original server's single
/// polling loop, except that it sleeps in the poller until something is ready or due instead of
/// spinning. It serves the connections of any number of listeners.
/// </summary>
/// <remarks>
/// Threads: everything here runs on the loop's own thread once it has started, except
/// <see cref="Start"/>, <see cref="RequestStop"/>, <see cref="Post"/>, <see cref="Adopt"/> and
/// <see cref="Join"/>, which other threads call, and which reach the loop only through
/// <see cref="Reactor.Post"/>.
/// </remarks>
internal sealed partial class EventLoop
{
    private readonly string _name;
    private readonly LoopContext _context;
    private readonly LoopDrain _drain;
    private readonly List<Acceptor> _acceptors = [];
    private LoopListener[] _listeners = []; // Replaced, never changed: other threads read it.

    // Continuations run on the loop's thread as it ends, so that the server's Completion is
    // settled by the time the thread has been joined.
    private readonly TaskCompletionSource _completion = new();
    private Thread? _thread;

    public EventLoop(string name, LoopContext context, TimeSpan shutdownTimeout)
    {
        _name = name;
        _context = context;
        _drain = new LoopDrain(context, (long)shutdownTimeout.TotalMilliseconds);
    }

    public string Name => _name;

    public LoopContext Context => _context;

    /// <summary>Its side of each listener, with what it counts there. Read from any thread.</summary>
    public IReadOnlyList<LoopListener> Listeners => Volatile.Read(ref _listeners);

    /// <inheritdoc cref="Reactor.Busy"/>
    public TimeSpan Busy => _context.Reactor.Busy;

    /// <summary>What the loop is doing now, for a report: <c>in step 1 'x' (echo.yaml:3:5), serving
    /// connection 12 from 10.0.0.5:40122 on listener 0</c>. Safe from any thread.</summary>
    public string DescribeWork() => DescribeWork(_context.Reactor.Activity.Current);

    /// <inheritdoc cref="DescribeWork()"/>
    public string DescribeWork(LoopActivity.LoopWork work) => work switch
    {
        { IsIdle: true } => "idle",
        { IsOwnWork: true } => "in its timers or in work posted to it",
        _ => _context.Reactor.HandlerOf(work.Handle)?.Describe() ?? $"in the handler of descriptor {work.Handle}, since closed",
    };

    /// <summary>Completes when the loop has stopped; faults if it stopped on an error.</summary>
    public Task Completion => _completion.Task;

    /// <summary>Serves connections of this listener; before <see cref="Start"/> only.</summary>
    public void Serve(LoopListener listener) => _listeners = [.. _listeners, listener];

    /// <summary>Accepts from this socket; before <see cref="Start"/> only.</summary>
    public void Accept(Acceptor acceptor) => _acceptors.Add(acceptor);

    public void Start()
    {
        _acceptors.ForEach(acceptor => acceptor.Start());
        _thread = new Thread(Run) { Name = _name, IsBackground = true };
        _thread.Start();
    }

    /// <summary>Asks the loop to stop accepting, let its clients take their replies, and end. Safe from any thread.</summary>
    public void RequestStop()
    {
        if (_thread is not null)
        {
            Post(() => _drain.Begin(_acceptors));
        }
    }

    /// <inheritdoc cref="Reactor.Post"/>
    public bool Post(Action work) => _context.Reactor.Post(work);

    /// <returns>False if the loop has not ended in time (a transform that never returns, say).</returns>
    public bool Join(TimeSpan timeout) => _thread?.Join(timeout) ?? true;

    /// <summary>Gives this loop a client accepted for <paramref name="listener"/>, which has
    /// taken a connection slot for it. Safe from any thread.</summary>
    /// <param name="address">The address whose max_connections_per_ip slot the client took at
    /// accept; null if it took none.</param>
    /// <returns>False if the loop has ended: the client was closed and its slots given back.</returns>
    public bool Adopt(Socket socket, LoopListener listener, IPAddress? address)
    {
        if (Thread.CurrentThread == _thread)
        {
            Open(socket, listener, address);
            return true;
        }

        if (Post(() => Open(socket, listener, address)))
        {
            return true;
        }

        Refuse(socket, listener, address); // Nobody else will.
        return false;
    }

    /// <summary>Once the loop has ended, or never started: the poller. (The pipelines are their
    /// generation's, which the server lets go of.)</summary>
    public void DisposeResources()
    {
        if (_thread is null)
        {
            CloseAll(CloseReason.Shutdown); // Never started: clients handed over to it meanwhile are refused, not leaked.
        }

        _context.Reactor.Dispose();
    }

    private void Run()
    {
        try
        {
            while (!_drain.IsComplete)
            {
                _context.Reactor.RunOnce();
            }

            int open = CloseAll(CloseReason.Shutdown);
            _context.Reactor.Activity.Rest(); // Ended: nothing for the watchdog to see.
            NetworkLog.Stopped(_context.Logger, _name, open);
            _completion.SetResult();
        }
        catch (Exception e)
        {
            NetworkLog.LoopCrashed(_context.Logger, _name, e);
            CloseAll(CloseReason.Failed);
            _context.Reactor.Activity.Rest();
            _completion.SetException(e);
        }
    }

    private void Open(Socket socket, LoopListener listener, IPAddress? address)
    {
        if (_context.Stopping || listener.Removed)
        {
            listener.Counters.RejectedShutdown++;
            Refuse(socket, listener, address); // Too late to serve: the server stops, or a reload removed the listener.
            return;
        }

        try
        {
            socket.Blocking = false;
            socket.NoDelay = true;
            new Connection(socket, _context, listener, address).Open();
        }
        catch (Exception e) when (e is SocketException or Win32Exception)
        {
            // Out of kernel memory or epoll watches, say: this client cannot be served, others can.
            NetworkLog.OpenFailed(_context.Logger, e);
            listener.Counters.RejectedOpenFailed++;
            Refuse(socket, listener, address);
        }
    }

    /// <summary>Each on its own: one that fails to close must not leave the others open.</summary>
    private void CloseQuietly(Acceptor acceptor)
    {
        try
        {
            acceptor.Close();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            NetworkLog.ListenerCloseFailed(_context.Logger, e);
        }
    }

    private static void Refuse(Socket socket, LoopListener listener, IPAddress? address)
    {
        socket.Dispose();
        listener.Release(address);
    }

    /// <summary>The end, after a drain or a failure: nothing is accepted, handed over or served any more.</summary>
    /// <returns>How many connections were still open.</returns>
    /// <param name="reason">What the connections still open are counted as closed for.</param>
    private int CloseAll(CloseReason reason)
    {
        _context.Stopping = true;
        int open = 0;
        try
        {
            // Even after a failure: a listening socket left open would keep queueing clients
            // (1/N of them with SO_REUSEPORT) on a backlog nobody accepts from.
            _acceptors.ForEach(CloseQuietly);
            _context.Reactor.End(); // Clients handed over meanwhile are closed.
        }
        catch (Exception e)
        {
            NetworkLog.LoopCrashed(_context.Logger, _name, e);
        }
        finally
        {
            foreach (Connection connection in _context.Connections.Snapshot())
            {
                open++;
                connection.Close(reason);
            }
        }

        return open;
    }
}
