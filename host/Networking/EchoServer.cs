using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using PluggableEcho.Host.Networking.Framing;
using PluggableEcho.Host.Pipeline;

namespace PluggableEcho.Host.Networking;

/// <summary>
/// Listens on one address and serves every client from a few event loops, each with its own
/// thread, poller and pipeline. With epoll each loop has its own listener (SO_REUSEPORT), so
/// the kernel spreads the clients; otherwise the first loop accepts for all of them.
/// </summary>
internal sealed class EchoServer : IDisposable
{
    private const int ReceiveBufferSize = 64 * 1024;

    // Files the runtime and the server hold besides connections (assemblies, pollers, listeners).
    private const int RuntimeDescriptors = 200;

    // Beyond the shutdown timeout, how long to wait for a loop stuck in a transform.
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    private readonly Socket[] _listeners = [];
    private readonly EventLoop[] _loops;
    private readonly ServerOptions _options;
    private readonly ILogger _logger;
    private bool _disposed;

    /// <param name="createPipeline">Called once per loop: the pipelines are the loops' own.</param>
    public EchoServer(ServerOptions options, ILoggerFactory loggerFactory)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Loops, 1);
        _options = options;
        ListenerOptions listener = options.Listeners[0];
        IFramer framer = listener.Framer;
        Func<IMessagePipeline> createPipeline = listener.CreatePipeline;
        _logger = loggerFactory.CreateLogger<EchoServer>();
        PollerKind poller = options.ResolvedPoller;
        bool shareListener = poller == PollerKind.Epoll && ListenerGroup.CanShare;

        // Pipelines first: a step that cannot be built stops start-up before anything listens.
        var contexts = new List<LoopContext>(options.Loops);
        var loops = new List<EventLoop>(options.Loops);
        try
        {
            var slots = new ConnectionSlots(listener.Limits.MaxConnections);
            for (int i = 0; i < options.Loops; i++)
            {
                contexts.Add(CreateLoopContext(poller, framer, createPipeline, slots));
            }

            _listeners = ListenerGroup.Bind(listener.Address, shareListener ? options.Loops : 1);
            for (int i = 0; i < options.Loops; i++)
            {
                Socket? socket = shareListener ? _listeners[i] : (i == 0 ? _listeners[0] : null);
                loops.Add(new EventLoop($"echo-loop-{i}", contexts[i], socket, options.Spin, options.ShutdownTimeout));
            }
        }
        catch
        {
            contexts.ForEach(context => context.Dispose());
            Array.ForEach(_listeners, listener => listener.Dispose());
            throw;
        }

        _loops = [.. loops];
        LocalEndPoint = (IPEndPoint)_listeners[0].LocalEndPoint!; // Kept: the loops close the listeners when they stop.
        if (!shareListener && _loops.Length > 1)
        {
            _loops[0].AcceptFor(_loops);
        }

        Completion = AllOrFirstFailure(_loops.Select(loop => loop.Completion));
    }

    /// <summary>The address actually bound: with port 0, the port the system picked.</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Completes when every loop has stopped; faults as soon as one fails.</summary>
    public Task Completion { get; }

    public void Start()
    {
        WarnIfDescriptorsCannotCover(_options.Listeners[0].Limits.MaxConnections);
        foreach (EventLoop loop in _loops)
        {
            loop.Start();
        }

        NetworkLog.Listening(_logger, _loops.Length, _options.ResolvedPoller, LocalEndPoint);
    }

    /// <summary>
    /// Stops accepting, lets clients take the replies queued for them for up to the shutdown
    /// timeout, then closes everything.
    /// </summary>
    /// <returns>False if a loop did not end in time (a transform that never returns, say).</returns>
    public bool Stop()
    {
        foreach (EventLoop loop in _loops)
        {
            loop.RequestStop();
        }

        DateTime deadline = DateTime.UtcNow + _options.ShutdownTimeout + StopGrace;
        bool stopped = true;
        foreach (EventLoop loop in _loops)
        {
            TimeSpan left = deadline - DateTime.UtcNow;
            stopped &= loop.Join(left > TimeSpan.Zero ? left : TimeSpan.Zero);
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
        try
        {
            if (Stop())
            {
                // Only once the loops can no longer be using them.
                Array.ForEach(_loops, loop => loop.Context.Dispose());
            }
            else
            {
                NetworkLog.StopTimedOut(_logger, (_options.ShutdownTimeout + StopGrace).TotalSeconds);
            }
        }
        finally
        {
            Array.ForEach(_listeners, listener => listener.Dispose());
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

    private LoopContext CreateLoopContext(PollerKind poller, IFramer framer, Func<IMessagePipeline> createPipeline, ConnectionSlots slots)
    {
        IMessagePipeline pipeline = createPipeline();
        try
        {
            var exchange = new ExchangeContext(framer, pipeline, _options.Listeners[0].Limits, _logger);
            return new LoopContext(Pollers.Create(poller), exchange, slots, ReceiveBufferSize);
        }
        catch
        {
            pipeline.Dispose();
            throw;
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
}
