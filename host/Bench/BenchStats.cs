namespace PluggableEcho.Host.Bench;

/// <summary>What one client loop counted. Written by its thread; read by others only for progress.</summary>
internal sealed class BenchStats
{
    public long Messages;
    public long Bytes;
    public long Mismatches;
    public long Errors;

    public LatencyHistogram Latency { get; } = new();

    public void Clear()
    {
        Messages = Bytes = Mismatches = Errors = 0;
        Latency.Clear();
    }

    public void Add(BenchStats other)
    {
        Messages += other.Messages;
        Bytes += other.Bytes;
        Mismatches += other.Mismatches;
        Errors += other.Errors;
        Latency.Add(other.Latency);
    }
}
