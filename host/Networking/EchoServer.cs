using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using PluggableEcho.Host.Buffers;

namespace PluggableEcho.Host.Networking;

/// <summary>
/// Listens on each configured address and serves every client from a few event loops, each with
/// its own thread, poller and pipelines. With epoll each loop has its own socket per listener
/// (SO_REUSEPORT), so the kernel spreads the clients; otherwise the first loop accepts for all.
/// </summary>
internal sealed partial class EchoServer : IDisposable
{
    private const int ReceiveBufferSize = 64 * 1024;

    // Files the runtime and the server hold besides connections (assemblies, pollers, listeners).
    private const int RuntimeDescriptors = 200;

    /// <summary>Beyond the shutdown timeout, how long a loop has to close what is left once its
    /// drain is over: a loop not done by then is stuck in a step, and is not waited for.</summary>
    internal static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(1);

    private readonly List<Socket> _sockets = []; // Every listening socket it opened; the loops close theirs as they stop.
    private readonly EventLoop[] _loops;
    private readonly ServerOptions _options;
    private readonly ILogger _logger;
    private readonly bool _socketPerLoop;
    private ServedListener[] _served = [];
    private ServedGeneration _generation = new(1);
    private MemoryGiveBack? _giveBack;
    private bool _disposed;

    public EchoServer(ServerOptions options, ILoggerFactory loggerFactory)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Loops, 1);
        ArgumentOutOfRangeException.ThrowIfZero(options.Listeners.Count);
        _options = options with { Listeners = [] }; // The listeners are _served's: kept here, they would pin the first generation.
        _logger = loggerFactory.CreateLogger<EchoServer>();
        PollerKind poller = options.ResolvedPoller;
        _socketPerLoop = poller == PollerKind.Epoll && ListenerGroup.CanShare;
        _loops = new EventLoop[options.Loops];
        try
        {
            for (int i = 0; i < _loops.Length; i++)
            {
                var reactor = new Reactor(Pollers.Create(poller), options.Spin);
                _loops[i] = new EventLoop($"echo-loop-{i}", new LoopContext(reactor, _logger, ReceiveBufferSize, options.MaxBufferedBytes / options.Loops), options.ShutdownTimeout);
            }

            // Pipelines first: a step that cannot be built stops start-up before anything listens.
            LoopListener[][] served = [.. options.Listeners.Select(listener => Serve(listener, _generation))];
            for (int listener = 0; listener < served.Length; listener++)
            {
                (IPEndPoint bound, (EventLoop Loop, Acceptor Acceptor)[] acceptors) = Bind(options.Listeners[listener], served[listener]);
                _served = [.. _served, new ServedListener(options.Listeners[listener], served[listener], bound)];
                for (int i = 0; i < _loops.Length; i++)
                {
                    _loops[i].Serve(served[listener][i]);
                }

                foreach ((EventLoop loop, Acceptor acceptor) in acceptors)
                {
                    loop.Accept(acceptor);
                }
            }

            Watchdog = new LoopWatchdog(_loops, options.StepTimeout, _logger);
        }
        catch
        {
            DisposeLoops();
            _sockets.ForEach(socket => socket.Dispose());
            _generation.LetGo(); // The pipelines made so far.
            throw;
        }

        Completion = AllOrFirstFailure(_loops.Select(loop => loop.Completion));
    }

    /// <summary>Each listener's address as bound: with port 0, the port the system picked. A
    /// reload may change them.</summary>
    public IReadOnlyList<IPEndPoint> LocalEndPoints => [.. Volatile.Read(ref _served).Select(served => served.Bound)];

    /// <summary>The configuration new connections get: 1 at start, a new one with each reload.</summary>
    public ServedGeneration Generation => Volatile.Read(ref _generation);

    /// <summary>The first listener's address as bound.</summary>
    public IPEndPoint LocalEndPoint => LocalEndPoints[0];

    /// <summary>The loops: what they count, and for tests that reach into one.</summary>
    internal IReadOnlyList<EventLoop> Loops => _loops;

    /// <summary>Completes when every loop has stopped; faults as soon as one fails.</summary>
    public Task Completion { get; }

    /// <summary>Reports a loop stuck in a step, or a step out of memory; subscribe before <see cref="Start"/>.</summary>
    public LoopWatchdog Watchdog { get; }

    public void Start()
    {
        WarnIfDescriptorsCannotCover(_served.Sum(listener => listener.Options.Limits.MaxConnections));
        foreach (EventLoop loop in _loops)
        {
            loop.Start();
        }

        _giveBack = new MemoryGiveBack([.. _loops.Select(loop => loop.Context.Memory.Budget)], _logger);
        Watchdog.Start();
        foreach (ServedListener served in _served)
        {
            NetworkLog.Listening(_logger, served.Options.Name, _loops.Length, _options.ResolvedPoller, served.Bound);
        }
    }

    /// <summary>
    /// Stops accepting, lets clients take the replies queued for them for up to the shutdown
    /// timeout, then closes everything. A loop stuck in a step cannot be stopped: it is named in
    /// the log and left behind, so that the stop takes the shutdown timeout and no longer.
    /// </summary>
    /// <returns>False if a loop did not end in time (a transform that never returns, say).</returns>
    public bool Stop()
    {
        foreach (EventLoop loop in _loops)
        {
            loop.RequestStop();
        }

        TimeSpan patience = _options.ShutdownTimeout + StopGrace;
        var clock = Stopwatch.StartNew();
        bool stopped = true;
        foreach (EventLoop loop in _loops)
        {
            TimeSpan left = patience - clock.Elapsed;
            if (!loop.Join(left > TimeSpan.Zero ? left : TimeSpan.Zero))
            {
                stopped = false;
                NetworkLog.LoopDidNotStop(_logger, loop.Name, patience.TotalSeconds, loop.DescribeWork());
            }
        }

        return stopped;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _giveBack?.Dispose();
        try
        {
            bool stopped = Stop();
            Watchdog.Dispose();
            if (stopped)
            {
                DisposeLoops(); // Only once the loops can no longer be using them.
                _generation.LetGo(); // Its connections are closed: its pipelines go with it.
            }
        }
        finally
        {
            lock (_sockets)
            {
                _sockets.ForEach(socket => socket.Dispose()); // The loops have closed them, unless one is stuck.
            }
        }
    }

    /// <summary>
    /// Out of file descriptors the server can only pause accepting, and clients wait unanswered
    /// in the backlog: say so at start-up if max_connections lets it get there.
    /// </summary>
    private unsafe void WarnIfDescriptorsCannotCover(int maxConnections)
    {
        ulong* limits = stackalloc ulong[2];
        if (OperatingSystem.IsLinux() && LinuxNative.getrlimit(LinuxNative.RLIMIT_NOFILE, limits) == 0
            && (ulong)maxConnections + RuntimeDescriptors > limits[0])
        {
            NetworkLog.DescriptorsShort(_logger, maxConnections, limits[0], RuntimeDescriptors);
        }
    }

    /// <summary>Each loop's side of the listener: its own pipeline, the shared connection counts.</summary>
    /// <exception cref="Errors.StartupException">A step cannot be built; what was built is the generation's.</exception>
    private LoopListener[] Serve(ListenerOptions options, ServedGeneration generation)
    {
        var slots = new ConnectionSlots(options.Limits.MaxConnections);
        var addressSlots = new AddressSlots(options.Limits.MaxConnectionsPerIp);
        var served = new LoopListener[_loops.Length];
        for (int i = 0; i < _loops.Length; i++)
        {
            served[i] = new LoopListener(options, slots, addressSlots, generation.Own(options.CreatePipeline()), _loops[i].Context, generation);
        }

        return served;
    }

    /// <summary>Binds the listener's address. With a socket per loop the kernel spreads the
    /// clients; otherwise the first loop accepts for all of them and deals them out in turn.</summary>
    /// <returns>The address bound, and the acceptors, each with the loop it is to run on.</returns>
    /// <exception cref="ListenFailedException">Its address cannot be bound.</exception>
    private (IPEndPoint Bound, (EventLoop Loop, Acceptor Acceptor)[] Acceptors) Bind(ListenerOptions options, LoopListener[] served)
    {
        Socket[] sockets;
        try
        {
            sockets = ListenerGroup.Bind(options.Address, _socketPerLoop ? _loops.Length : 1);
        }
        catch (SocketException e)
        {
            throw new ListenFailedException(options.Name, options.Address, e);
        }

        lock (_sockets)
        {
            _sockets.AddRange(sockets);
        }

        IPEndPoint bound = (IPEndPoint)sockets[0].LocalEndPoint!;
        if (_socketPerLoop)
        {
            return (bound, [.. _loops.Select((loop, i) => (loop, new Acceptor(sockets[i], loop.Context, served[i], [(loop, served[i])])))]);
        }

        (EventLoop, LoopListener)[] all = [.. _loops.Zip(served)];
        return (bound, [(_loops[0], new Acceptor(sockets[0], _loops[0].Context, served[0], all))]);
    }

    private void DisposeLoops()
    {
        foreach (EventLoop? loop in _loops)
        {
            loop?.DisposeResources();
        }
    }

    private static Task AllOrFirstFailure(IEnumerable<Task> tasks)
    {
        Task[] all = [.. tasks];
        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int remaining = all.Length;
        foreach (Task task in all)
        {
            task.ContinueWith(
                finished =>
                {
                    if (finished.Exception is { } failure)
                    {
                        completion.TrySetException(failure.InnerExceptions);
                    }
                    else if (Interlocked.Decrement(ref remaining) == 0)
                    {
                        completion.TrySetResult();
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }

        return completion.Task;
    }

    /// <summary>A listener as the server serves it: as configured, each loop's side, where it is bound.</summary>
    internal sealed record ServedListener(ListenerOptions Options, LoopListener[] PerLoop, IPEndPoint Bound);
}
