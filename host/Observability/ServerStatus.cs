namespace PluggableEcho.Host.Observability;

/// <summary>Whether the server should be sent clients: what <c>/readyz</c> answers.</summary>
internal enum Readiness
{
    /// <summary>Not every listener accepts yet.</summary>
    Starting,

    /// <summary>Every listener accepts.</summary>
    Ready,

    /// <summary>Taken out of rotation: stopping, or asked to with <c>POST /drain</c>. It still
    /// serves its clients until it stops.</summary>
    Draining,
}

/// <summary>The server's readiness, set by the host, read by the admin endpoint. Safe from any thread.</summary>
internal sealed class ServerStatus
{
    private int _readiness = (int)Readiness.Starting;

    public Readiness Readiness => (Readiness)Volatile.Read(ref _readiness);

    /// <summary>Once every listener accepts; a drain that began meanwhile stays.</summary>
    public void MarkReady() => Interlocked.CompareExchange(ref _readiness, (int)Readiness.Ready, (int)Readiness.Starting);

    /// <summary>For good: a server that drains does not come back into rotation.</summary>
    public void MarkDraining() => Volatile.Write(ref _readiness, (int)Readiness.Draining);
}
