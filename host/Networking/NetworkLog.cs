using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace PluggableEcho.Host.Networking;

internal static partial class NetworkLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "{Listener}: {Loops} loops ({Poller}), listening on {EndPoint}")]
    public static partial void Listening(ILogger logger, string listener, int loops, PollerKind poller, EndPoint endPoint);

    [LoggerMessage(EventId = 101, Level = LogLevel.Debug, Message = "connection {Handle} from {Client} closed: {Reason}")]
    public static partial void ConnectionFailed(ILogger logger, int handle, EndPoint? client, SocketError reason);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "accept failed: {Reason}; accepting again in {Pause} ms")]
    public static partial void AcceptFailed(ILogger logger, SocketError reason, int pause);

    [LoggerMessage(EventId = 103, Level = LogLevel.Error, Message = "connection {Handle} from {Client} failed unexpectedly and was closed")]
    public static partial void ConnectionCrashed(ILogger logger, int handle, EndPoint? client, Exception exception);

    [LoggerMessage(EventId = 104, Level = LogLevel.Critical, Message = "event loop {Loop} stopped on an error")]
    public static partial void LoopCrashed(ILogger logger, string loop, Exception exception);

    [LoggerMessage(EventId = 106, Level = LogLevel.Information, Message = "a client sent a message longer than {Limit} bytes; it was told, and the policy is {Policy}")]
    public static partial void MessageTooLong(ILogger logger, int limit, OversizePolicy policy);

    [LoggerMessage(EventId = 107, Level = LogLevel.Warning, Message = "a new connection could not be set up and was closed")]
    public static partial void OpenFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 108, Level = LogLevel.Error, Message = "event loop {Loop} did not stop within {Seconds} s (shutdown_timeout, and a second to close): it is still {Work}; the server stops without it")]
    public static partial void LoopDidNotStop(ILogger logger, string loop, double seconds, string work);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "{Loop} stopped; {Count} connections were still open")]
    public static partial void Stopped(ILogger logger, string loop, int count);

    [LoggerMessage(EventId = 109, Level = LogLevel.Warning, Message = "a client sent bytes that cannot be framed; it was told and will be closed")]
    public static partial void MalformedFrame(ILogger logger);

    [LoggerMessage(EventId = 110, Level = LogLevel.Warning, Message = "max_connections ({Limit}) reached: new clients are told and closed")]
    public static partial void MaxConnectionsReached(ILogger logger, int limit);

    [LoggerMessage(EventId = 117, Level = LogLevel.Warning, Message = "max_connections_per_ip ({Limit}) reached by {Address}: its new clients are told and closed")]
    public static partial void MaxConnectionsPerIpReached(ILogger logger, int limit, IPAddress? address);

    [LoggerMessage(EventId = 112, Level = LogLevel.Warning, Message = "max_connections is {MaxConnections} but the process may open only {Limit} files, of which about {Reserved} go to the runtime: raise ulimit -n or lower max_connections, or clients will wait unanswered once descriptors run out")]
    public static partial void DescriptorsShort(ILogger logger, int maxConnections, ulong limit, int reserved);

    [LoggerMessage(EventId = 113, Level = LogLevel.Warning, Message = "a listening socket could not be closed")]
    public static partial void ListenerCloseFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 111, Level = LogLevel.Debug, Message = "connection {Handle} from {Client} was idle or lingered too long and was closed")]
    public static partial void ConnectionExpired(ILogger logger, int handle, EndPoint? client);

    [LoggerMessage(EventId = 115, Level = LogLevel.Information, Message = "connection {Handle} from {Client} began a message it did not finish within {Seconds} s (message_timeout); it was told and will be closed")]
    public static partial void MessageTimedOut(ILogger logger, int handle, EndPoint? client, double seconds);

    [LoggerMessage(EventId = 116, Level = LogLevel.Warning, Message = "connection {Handle} from {Client} left its replies at output_buffer_bytes, unread, for {Seconds} s (output_stall_timeout) and was closed")]
    public static partial void OutputStalled(ILogger logger, int handle, EndPoint? client, double seconds);

    [LoggerMessage(EventId = 120, Level = LogLevel.Warning, Message = "this loop's buffers hold {Held} bytes, over its share of max_buffered_bytes ({Limit}): clients holding buffers are not read, and the largest are ended if it lasts {Seconds} s")]
    public static partial void BufferBudgetExceeded(ILogger logger, long held, long limit, double seconds);

    [LoggerMessage(EventId = 121, Level = LogLevel.Warning, Message = "this loop's buffers went over its share of max_buffered_bytes ({Limit}) and {Seconds} s later still held {Held} bytes: the {Count} connections holding the most were ended (told ERR server busy if they held only input); {Left} bytes are held now")]
    public static partial void BufferBudgetShed(ILogger logger, long held, long limit, double seconds, int count, long left);

    [LoggerMessage(EventId = 122, Level = LogLevel.Information, Message = "connection {Handle} from {Client} held {Held} bytes of buffers when its loop ended the largest holders; closed (server busy)")]
    public static partial void ConnectionShed(ILogger logger, int handle, EndPoint? client, long held);

    [LoggerMessage(EventId = 125, Level = LogLevel.Error, Message = "event loop {Loop} is stuck: it has been {Work} for {Seconds} s, longer than step_timeout ({Timeout} s); its clients wait until it returns")]
    public static partial void LoopStuck(ILogger logger, string loop, string work, double seconds, double timeout);

    [LoggerMessage(EventId = 126, Level = LogLevel.Warning, Message = "event loop {Loop} runs again after {Seconds} s {Work}")]
    public static partial void LoopRecovered(ILogger logger, string loop, double seconds, string work);

    [LoggerMessage(EventId = 127, Level = LogLevel.Error, Message = "event loop {Loop}: {Step} ran out of memory (OutOfMemoryException) serving {Peer}; memory a plugin leaks does not come back: restart the server")]
    public static partial void StepOutOfMemory(ILogger logger, string loop, string step, string peer);

    [LoggerMessage(EventId = 124, Level = LogLevel.Information, Message = "connection {Handle} from {Client} sent {Bytes} bytes without a line ending and has waited {Seconds} s: with framing line a message ends at a newline; a client that sends none needs framing raw (--framing raw)")]
    public static partial void NoLineEnd(ILogger logger, int handle, EndPoint? client, int bytes, double seconds);

    [LoggerMessage(EventId = 114, Level = LogLevel.Warning, Message = "connection {Handle} from {Client} {Problem}; closed")]
    public static partial void ProxyHeaderRefused(ILogger logger, int handle, EndPoint? client, string problem);

    [LoggerMessage(EventId = 128, Level = LogLevel.Error, Message = "event loop {Loop} failed to take a reload; it goes on serving")]
    public static partial void ReconfigureFailed(ILogger logger, string loop, Exception exception);

    [LoggerMessage(EventId = 129, Level = LogLevel.Warning, Message = "event loop {Loop} cannot accept for {Listener} after a reload; the other loops' sockets still take its clients")]
    public static partial void AcceptorStartFailed(ILogger logger, string loop, string listener, Exception exception);
}
