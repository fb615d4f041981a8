namespace PluggableEcho.Host.Networking;

/// <summary>Why a connection ended: the cause, not the last event (a client told its message was
/// too long that then closes was closed for <see cref="Oversize"/>).</summary>
internal enum CloseReason
{
    /// <summary>The client ended the conversation.</summary>
    Client,

    /// <summary>Neither sent nor took a byte for <c>idle_timeout</c>.</summary>
    Idle,

    /// <summary>A message begun and not whole within <c>message_timeout</c>.</summary>
    MessageTimeout,

    /// <summary>Its unsent output stayed at the limit for <c>output_stall_timeout</c>: it does not read.</summary>
    OutputStall,

    /// <summary>A message over <c>max_message_bytes</c> under the close policy.</summary>
    Oversize,

    /// <summary>Bytes that cannot be framed.</summary>
    Malformed,

    /// <summary>A step failed under <c>on_error: close</c>, or asked to close.</summary>
    ErrorPolicy,

    /// <summary>The server stopped.</summary>
    Shutdown,

    /// <summary>Older than <c>max_connection_duration</c>: ended at a message boundary, to reconnect.</summary>
    MaxDuration,

    /// <summary>No PROXY header a <c>proxy_protocol</c> listener takes, or none in time.</summary>
    ProxyHeader,

    /// <summary>Its loop's buffers stayed over <c>max_buffered_bytes</c>, and it held among the most.</summary>
    ServerBusy,

    /// <summary>The client a PROXY header named already has <c>max_connections_per_ip</c>
    /// connections: it was told, and served nothing. (Without the header such a client is
    /// refused at accept, and counted as rejected, not closed.)</summary>
    MaxConnectionsPerIp,

    /// <summary>The client reset the connection, or the network failed.</summary>
    Reset,

    /// <summary>A bug in the server's handling of this connection.</summary>
    Failed,
}

internal static class CloseReasons
{
    public static readonly CloseReason[] All = Enum.GetValues<CloseReason>();

    /// <summary>As metrics label them: snake_case.</summary>
    public static string Label(CloseReason reason) => reason switch
    {
        CloseReason.ErrorPolicy => "error_policy",
        CloseReason.MaxDuration => "max_duration",
        CloseReason.ProxyHeader => "proxy_header",
        CloseReason.MaxConnectionsPerIp => "max_connections_per_ip",
        CloseReason.MessageTimeout => "message_timeout",
        CloseReason.OutputStall => "output_stall",
        CloseReason.ServerBusy => "server_busy",
        _ => reason.ToString().ToLowerInvariant(),
    };
}
