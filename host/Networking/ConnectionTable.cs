namespace PluggableEcho.Host.Networking;

/// <summary>The connections one loop owns, for the few times all of them are wanted (a drain,
/// the end). Adding and removing cost O(1). Loop's thread only.</summary>
internal sealed class ConnectionTable
{
    private Connection[] _connections = new Connection[64];

    public int Count { get; private set; }

    public void Add(Connection connection)
    {
        if (Count == _connections.Length)
        {
            Array.Resize(ref _connections, Count * 2);
        }

        connection.TableIndex = Count;
        _connections[Count++] = connection;
    }

    public void Remove(Connection connection)
    {
        int index = connection.TableIndex;
        if (index < 0)
        {
            return;
        }

        Connection last = _connections[--Count];
        _connections[index] = last;
        last.TableIndex = index;
        _connections[Count] = null!;
        connection.TableIndex = -1;
    }

    /// <summary>The connections as they are now: the action may close them.</summary>
    public Connection[] Snapshot() => _connections[..Count];
}
