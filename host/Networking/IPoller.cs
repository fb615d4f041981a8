namespace PluggableEcho.Host.Networking;

/// <summary>Readiness polling over socket handles. Used from the loop's thread only, except Wake.</summary>
internal interface IPoller : IDisposable
{
    void Add(int handle, Readiness interest);

    void Change(int handle, Readiness interest);

    /// <summary>Stops watching a handle; one that is not watched (never added, already closed) is no error.</summary>
    void Remove(int handle);

    /// <summary>Blocks until a handle is ready, <see cref="Wake"/> is called, or the timeout passes
    /// (-1: no timeout). Fills <paramref name="fired"/> and returns how many it filled.</summary>
    int Wait(Span<PollEvent> fired, int timeoutMilliseconds);

    /// <summary>Makes a blocked <see cref="Wait"/> return soon. Safe from any thread.</summary>
    void Wake();
}
