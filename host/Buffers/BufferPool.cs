using System.Numerics;

namespace PluggableEcho.Host.Buffers;

/// <summary>
/// The arrays one loop's buffers gave back, kept for the next buffer of that loop that needs one
/// of the size. A pool of the loop's own rather than the runtime's shared one: it costs no lock
/// or thread-local lookup, and it can be emptied at once when memory is to be given back, where
/// the shared pool keeps what it holds until it has gone unused for a minute or more. Sizes are
/// powers of two from 4 KiB, and a few other sizes asked for exactly (a buffer's ceiling, which
/// all the connections of a listener share); each size keeps up to 4 MiB of arrays (at most 64),
/// and sizes above 4 MiB are not kept. <see cref="Rent"/>, <see cref="RentExactly"/> and
/// <see cref="Return"/>: the loop's thread only; <see cref="Trim"/>: any thread.
/// </summary>
internal sealed class BufferPool : IByteArrays
{
    private const int SmallestShift = 12; // 4 KiB
    private const int Sizes = 31 - SmallestShift; // 4 KiB to 1 GiB
    private const int BytesKeptPerSize = 4 << 20;
    private const int MostKeptPerSize = 64;
    private const int MostExactSizes = 8; // A few listeners' ceilings.

    private Store _kept = new();

    /// <summary>An array of at least <paramref name="minimumLength"/> bytes: a power of two, unless larger than 1 GiB.</summary>
    public byte[] Rent(int minimumLength)
    {
        int size = SizeOf(minimumLength);
        if (size >= Sizes)
        {
            return GC.AllocateUninitializedArray<byte>(minimumLength);
        }

        Stack<byte[]>? kept = Volatile.Read(ref _kept).BySize[size];
        return kept is { Count: > 0 } ? kept.Pop() : GC.AllocateUninitializedArray<byte>(1 << (size + SmallestShift));
    }

    /// <summary>An array of exactly <paramref name="length"/> bytes, if at least 4 KiB.</summary>
    public byte[] RentExactly(int length)
    {
        if (BitOperations.IsPow2(length) || length < 1 << SmallestShift)
        {
            return Rent(length);
        }

        Dictionary<int, Stack<byte[]>> exact = Volatile.Read(ref _kept).Exact;
        return exact.TryGetValue(length, out Stack<byte[]>? kept) && kept.Count > 0 ? kept.Pop() : GC.AllocateUninitializedArray<byte>(length);
    }

    /// <summary>Keeps <paramref name="array"/> for reuse if it is of a size kept and there is room; else drops it.</summary>
    public void Return(byte[] array)
    {
        if (array.Length < 1 << SmallestShift || array.Length > BytesKeptPerSize)
        {
            return; // Not one of ours, or too large to keep.
        }

        Store store = Volatile.Read(ref _kept);
        Stack<byte[]>? kept;
        if (BitOperations.IsPow2(array.Length))
        {
            kept = store.BySize[SizeOf(array.Length)] ??= new Stack<byte[]>();
        }
        else if (!store.Exact.TryGetValue(array.Length, out kept) && store.Exact.Count < MostExactSizes)
        {
            store.Exact[array.Length] = kept = new Stack<byte[]>();
        }

        if (kept is not null && kept.Count < Math.Min(MostKeptPerSize, BytesKeptPerSize / array.Length))
        {
            kept.Push(array);
        }
    }

    /// <summary>Lets go of every array kept. From any thread: the loop may go on using the old
    /// store for a moment, and whatever it puts there is simply dropped.</summary>
    public void Trim() => Volatile.Write(ref _kept, new Store());

    /// <summary>What is kept: replaced whole by <see cref="Trim"/>.</summary>
    private sealed class Store
    {
        public Stack<byte[]>?[] BySize { get; } = new Stack<byte[]>?[Sizes];

        public Dictionary<int, Stack<byte[]>> Exact { get; } = [];
    }

    private static int SizeOf(int length) =>
        Math.Max(0, BitOperations.Log2(BitOperations.RoundUpToPowerOf2((uint)Math.Max(length, 1))) - SmallestShift);
}
