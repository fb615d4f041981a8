namespace PluggableEcho.Host.Networking;

/// <summary>The <c>max_connections</c> count, shared by every loop: taken when a client is
/// accepted, given back when its connection closes.</summary>
internal sealed class ConnectionSlots(int max)
{
    private int _taken;
    private volatile int _max = max;

    /// <summary>The limit, which a reload may change: the clients over a lowered one stay.</summary>
    public int Max
    {
        get => _max;
        set => _max = value;
    }

    public bool TryTake()
    {
        if (Interlocked.Increment(ref _taken) <= _max)
        {
            return true;
        }

        Interlocked.Decrement(ref _taken);
        return false;
    }

    public void Release() => Interlocked.Decrement(ref _taken);
}
