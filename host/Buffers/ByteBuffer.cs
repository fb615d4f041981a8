using System.Buffers;

namespace PluggableEcho.Host.Buffers;

/// <summary>
/// A growable byte queue on pooled arrays: written at the end, consumed from the front.
/// It holds no array while empty and released, so an idle connection costs no buffer.
/// </summary>
/// <param name="budget">Told of every array it takes and gives back; none: not counted.</param>
/// <param name="ceiling">The most it is expected to hold (a limit's worth): growing, it takes an
/// array of exactly this size rather than double past it, so that a buffer filled to its limit
/// costs the limit, not the next power of two; just past it (the last read's replies), an eighth
/// more. Beyond that it doubles again.</param>
internal sealed class ByteBuffer(BufferBudget? budget = null, int ceiling = int.MaxValue) : IBufferWriter<byte>
{
    private const int MinimumCapacity = 4096;

    // A loop's buffers use the loop's own pool, which the budget carries; the rest the runtime's.
    private readonly IByteArrays _arrays = budget?.Pool ?? (IByteArrays)SharedArrays.Instance;

    private byte[] _array = [];
    private int _start;
    private int _end;

    public int Length => _end - _start;

    public bool IsEmpty => _end == _start;

    /// <summary>The size of the array it holds: what it costs, written to or not.</summary>
    public int Capacity => _array.Length;

    public ReadOnlySpan<byte> WrittenSpan => _array.AsSpan(_start, _end - _start);

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        EnsureFree(sizeHint);
        return _array.AsSpan(_end);
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        EnsureFree(sizeHint);
        return _array.AsMemory(_end);
    }

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _array.Length - _end);
        _end += count;
    }

    /// <summary>Appends <paramref name="count"/> bytes to be filled in later through <see cref="WrittenRange"/>.</summary>
    public void Reserve(int count)
    {
        if (count > 0)
        {
            GetSpan(count);
            _end += count;
        }
    }

    /// <summary>Written bytes, for filling in what was reserved.</summary>
    public Span<byte> WrittenRange(int start, int length) => _array.AsSpan(_start, Length).Slice(start, length);

    public void Write(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return; // Not worth renting an array for.
        }

        bytes.CopyTo(GetSpan(bytes.Length));
        _end += bytes.Length;
    }

    /// <summary>Drops <paramref name="count"/> bytes from the front (they were sent or used).</summary>
    public void Consume(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Length);
        _start += count;
        if (_start == _end)
        {
            _start = _end = 0;
        }
    }

    /// <summary>Forgets what was written after the first <paramref name="length"/> bytes.</summary>
    public void Truncate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, Length);
        _end = _start + length;
    }

    public void Clear() => _start = _end = 0;

    /// <summary>Moves what is left into a smaller array when the one it has is far larger than
    /// that needs: a buffer that held a burst does not keep its size after.</summary>
    public void Trim()
    {
        int length = Length;
        int needed = Math.Max(MinimumCapacity, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(length, 1)));
        if (_array.Length <= 2 * needed)
        {
            return;
        }

        byte[] smaller = _arrays.Rent(needed);
        _array.AsSpan(_start, length).CopyTo(smaller);
        Replace(smaller);
        _start = 0;
        _end = length;
    }

    /// <summary>Empties the buffer and gives its array back to the pool.</summary>
    public void Release()
    {
        Clear();
        if (_array.Length > 0)
        {
            Replace([]);
        }
    }

    private void EnsureFree(int sizeHint)
    {
        sizeHint = Math.Max(sizeHint, 1);
        if (_array.Length - _end >= sizeHint)
        {
            return;
        }

        int length = Length;
        if (_array.Length - length >= sizeHint && _start > 0)
        {
            // Enough room once the consumed front is reclaimed.
            _array.AsSpan(_start, length).CopyTo(_array);
        }
        else
        {
            byte[] larger = Larger(length + sizeHint);
            _array.AsSpan(_start, length).CopyTo(larger);
            Replace(larger);
        }

        _start = 0;
        _end = length;
    }

    /// <summary>An array for <paramref name="needed"/> bytes: twice the one it has, unless that
    /// (as the pool rounds it) would pass the ceiling when the ceiling, or an eighth more, is enough.</summary>
    private byte[] Larger(int needed)
    {
        int capacity = Math.Max(MinimumCapacity, Math.Max(_array.Length * 2, needed));
        int nearCeiling = needed <= ceiling ? ceiling : (int)Math.Min(int.MaxValue, ceiling + (ceiling / 8L));
        bool pastCeiling = System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacity) > nearCeiling;
        return pastCeiling && needed <= nearCeiling && _array.Length < nearCeiling && nearCeiling >= MinimumCapacity
            ? _arrays.RentExactly(nearCeiling)
            : _arrays.Rent(capacity);
    }

    /// <summary>Holds <paramref name="array"/> instead of the one it had, which goes back to the pool.</summary>
    private void Replace(byte[] array)
    {
        byte[] old = _array;
        _array = array;
        budget?.Change((long)array.Length - old.Length); // Told once the buffer is whole again.
        _arrays.Return(old);
    }
}
