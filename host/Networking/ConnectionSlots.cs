namespace PluggableEcho.Host.Networking;

/// <summary>The <c>max_connections</c> count, shared by every loop: taken when a client is
/// accepted, given back when its connection closes.</summary>
internal sealed class ConnectionSlots(int max)
{
    private int _taken;

    public bool TryTake()
    {
        if (Interlocked.Increment(ref _taken) <= max)
        {
            return true;
        }

        Interlocked.Decrement(ref _taken);
        return false;
    }

    public void Release() => Interlocked.Decrement(ref _taken);
}
