namespace PluggableEcho.Host.Networking;

/// <summary>
/// What one loop counts for one listener. Plain fields, written by that loop's thread only, so
/// counting costs an increment and no contention; other threads read them (a reading may be a
/// moment old, never torn: each is one aligned 64-bit word).
/// </summary>
internal sealed class ListenerCounters
{
    public long Accepted;
    public long RejectedMaxConnections;
    public long RejectedMaxConnectionsPerIp;
    public long RejectedOpenFailed;
    public long RejectedShutdown;
    public long Opened;
    public long MessagesReceived;
    public long MessagesReplied;
    public long MessagesDropped;
    public long MessagesOversize;
    public long BytesReceived;
    public long BytesSent;

    /// <summary>How often reading stopped because a client's unsent output reached its limit.</summary>
    public long ReadPauses;

    /// <summary>Connections not read from right now for that reason.</summary>
    public long ReadingPaused;

    public readonly long[] Closed = new long[CloseReasons.All.Length];

    /// <summary>Opened less closed: the connections open now. Closed is read first: a connection
    /// opened and closed in between must not make it negative.</summary>
    public long Open
    {
        get
        {
            long closed = Closed.Sum();
            return Volatile.Read(ref Opened) - closed;
        }
    }
}
