using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using PluggableEcho.Host.Networking.Framing;
using PluggableEcho.Host.Pipeline;

namespace PluggableEcho.Host.Networking;

/// <summary>Listens on one address and serves every client from one event loop.</summary>
internal sealed class EchoServer : IDisposable
{
    private const int ListenBacklog = 1024;
    private const int ReceiveBufferSize = 64 * 1024;

    private readonly Socket _listener;
    private readonly EventLoop _loop;
    private readonly ILogger _logger;

    /// <param name="pipeline">Owned from here on: disposed with the server, or at once if it cannot listen.</param>
    public EchoServer(IPEndPoint listen, IFramer framer, IMessagePipeline pipeline, ILoggerFactory loggerFactory)
    {
        _logger = loggerFactory.CreateLogger<EchoServer>();
        _listener = new Socket(listen.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (!EpollPoller.IsSupported)
            {
                throw new PlatformNotSupportedException("the event loop needs epoll, which only Linux has");
            }

            // No ReuseAddress: on Linux .NET turns it into SO_REUSEPORT as well, which would let a
            // second server bind the same port and quietly share its clients.
            _listener.Bind(listen);
            _listener.Listen(ListenBacklog);
            _listener.Blocking = false;
            _loop = new EventLoop(_listener, new LoopContext(new EpollPoller(), framer, pipeline, _logger, ReceiveBufferSize));
        }
        catch
        {
            _listener.Dispose();
            pipeline.Dispose();
            throw;
        }
    }

    /// <summary>The address actually bound: with port 0, the port the system picked.</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    /// <summary>Completes when the server has stopped; faults if its loop failed.</summary>
    public Task Completion => _loop.Completion;

    public void Start()
    {
        _loop.Start("echo-loop");
        NetworkLog.Listening(_logger, LocalEndPoint);
    }

    public void Dispose()
    {
        try
        {
            _loop.Dispose();
        }
        finally
        {
            _listener.Dispose();
        }
    }
}
