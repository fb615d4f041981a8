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

    public long Held => Volatile.Read(ref _held);

    public bool Exceeded => _held > Limit;

    /// <summary>Called when <see cref="Exceeded"/> changes, with its new value.</summary>
    public Action<bool>? PressureChanged { get; set; }

    /// <summary>A buffer took (positive) or gave back (negative) this many bytes of array.</summary>
    public void Change(long bytes)
    {
        long before = _held;
        long after = before + bytes;
        Volatile.Write(ref _held, after);
        if ((before > Limit) != (after > Limit))
        {
            PressureChanged?.Invoke(after > Limit);
        }
    }
}
