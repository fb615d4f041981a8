namespace PluggableEcho.Host.Networking;

/// <summary>At most one warning a second for a condition that, once it holds, may hold for every
/// new client (a limit reached): the first says so, the counters tell how often. One loop's
/// thread only.</summary>
internal sealed class WarningPace
{
    private const long IntervalMilliseconds = 1000;

    private long _last = long.MinValue / 2;

    /// <summary>Whether to warn now, on the loop's clock.</summary>
    public bool TryTake(long now)
    {
        if (now - _last < IntervalMilliseconds)
        {
            return false;
        }

        _last = now;
        return true;
    }
}
