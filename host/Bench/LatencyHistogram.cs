namespace PluggableEcho.Host.Bench;

/// <summary>
/// Latencies in log-linear buckets (16 per power of two, so within ~6%): recording is a few
/// instructions and allocates nothing, whatever the count.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBucketBits = 4;
    private const int SubBuckets = 1 << SubBucketBits;

    private readonly long[] _counts = new long[64 * SubBuckets];

    private long _max;

    public long Count { get; private set; }

    /// <summary>The longest latency recorded, exactly (not a bucket's edge); 0 with none.</summary>
    public double MaxMicroseconds => _max / 1000.0;

    /// <param name="nanoseconds">Negative values count as zero.</param>
    public void Record(long nanoseconds)
    {
        long value = Math.Max(0, nanoseconds);
        _counts[Bucket(value)]++;
        Count++;
        if (value > _max)
        {
            _max = value;
        }
    }

    public void Add(LatencyHistogram other)
    {
        for (int i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
        _max = Math.Max(_max, other._max);
    }

    public void Clear()
    {
        Array.Clear(_counts);
        Count = 0;
        _max = 0;
    }

    /// <summary>The latency below which <paramref name="fraction"/> of the recorded ones fall (the bucket's upper edge).</summary>
    public double PercentileMicroseconds(double fraction)
    {
        if (Count == 0)
        {
            return 0;
        }

        long wanted = (long)Math.Ceiling(Count * fraction);
        long seen = 0;
        for (int i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= wanted)
            {
                return UpperEdge(i) / 1000.0;
            }
        }

        return UpperEdge(_counts.Length - 1) / 1000.0;
    }

    private static int Bucket(long value)
    {
        if (value < SubBuckets)
        {
            return (int)value;
        }

        int magnitude = 63 - (int)long.LeadingZeroCount(value); // >= SubBucketBits
        int shift = magnitude - SubBucketBits;
        int sub = (int)(value >> shift) - SubBuckets; // 0..15
        return ((shift + 1) * SubBuckets) + sub;
    }

    private static long UpperEdge(int bucket)
    {
        if (bucket < SubBuckets)
        {
            return bucket;
        }

        int shift = (bucket / SubBuckets) - 1;
        long sub = (bucket % SubBuckets) + SubBuckets;
        return ((sub + 1) << shift) - 1;
    }
}
