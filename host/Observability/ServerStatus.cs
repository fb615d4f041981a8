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

    /// <summary>Something keeps it from serving every client (a loop stuck in a step, a step out
    /// of memory): see <see cref="ServerStatus.Faults"/>. It comes back if the fault ends.</summary>
    Faulted,
}

/// <summary>The server's readiness, set by the host, read by the admin endpoint. Safe from any thread.</summary>
internal sealed class ServerStatus
{
    private readonly Dictionary<string, string> _faults = []; // Under its own lock: set rarely, read per probe.
    private int _readiness = (int)Readiness.Starting;

    public Readiness Readiness
    {
        get
        {
            var readiness = (Readiness)Volatile.Read(ref _readiness);
            return readiness == Readiness.Ready && Faults.Count > 0 ? Readiness.Faulted : readiness;
        }
    }

    /// <summary>What is wrong now, one line each.</summary>
    public IReadOnlyList<string> Faults
    {
        get
        {
            lock (_faults)
            {
                return [.. _faults.Values];
            }
        }
    }

    /// <summary>Once every listener accepts; a drain that began meanwhile stays.</summary>
    public void MarkReady() => Interlocked.CompareExchange(ref _readiness, (int)Readiness.Ready, (int)Readiness.Starting);

    /// <summary>For good: a server that drains does not come back into rotation.</summary>
    public void MarkDraining() => Volatile.Write(ref _readiness, (int)Readiness.Draining);

    /// <summary>Not ready while <paramref name="source"/>'s fault lasts.</summary>
    public void Fault(string source, string reason)
    {
        lock (_faults)
        {
            _faults[source] = reason;
        }
    }

    /// <summary>The fault of <paramref name="source"/> is over.</summary>
    public void Recover(string source)
    {
        lock (_faults)
        {
            _faults.Remove(source);
        }
    }
}
