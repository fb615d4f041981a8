namespace PluggableEcho.Host.Buffers;

/// <summary>
/// What the buffers of one event loop hold, against that loop's share of
/// <c>max_buffered_bytes</c>. Counted in array sizes, the memory the buffers really take, not in
/// the bytes written to them. Changed by the loop's thread only; <see cref="Held"/> may be read
/// from any thread.
/// </summary>
/// <param name="limit">Above this the loop is under pressure; long.MaxValue: no budget.</param>
internal sealed class BufferBudget(long limit)
{
    private long _held;

    public long Limit { get; } = limit;

    /// <summary>The arrays the loop's buffers gave back, kept for reuse (not counted in <see cref="Held"/>).</summary>
    public BufferPool Pool { get; } = new();

    /// <summary>Seven eighths of the limit: over the limit, the pressure lasts until the loop is
    /// back down to this, so that it does not flap on and off with every buffer at the edge.</summary>
    public long LowWater { get; } = limit - (limit / 8);

    public long Held => Volatile.Read(ref _held);

    /// <summary>From the moment it holds more than <see cref="Limit"/> until it is back at <see cref="LowWater"/>.</summary>
    public bool Exceeded { get; private set; }

    /// <summary>Called when <see cref="Exceeded"/> changes, with its new value.</summary>
    public Action<bool>? PressureChanged { get; set; }

    /// <summary>A buffer took (positive) or gave back (negative) this many bytes of array.</summary>
    public void Change(long bytes)
    {
        long after = _held + bytes;
        Volatile.Write(ref _held, after);
        if (Exceeded ? after <= LowWater : after > Limit)
        {
            Exceeded = !Exceeded;
            PressureChanged?.Invoke(Exceeded);
        }
    }
}
