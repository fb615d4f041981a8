using System.Numerics;

namespace PluggableEcho.Host.Buffers;

/// <summary>
/// The arrays one loop's buffers gave back, kept for the next buffer of that loop that needs one
/// of the size. A pool of the loop's own rather than the runtime's shared one: it costs no lock
/// or thread-local lookup, and it can be emptied at once when memory is to be given back, where
/// the shared pool keeps what it holds until it has gone unused for a minute or more. Sizes are
/// powers of two from 4 KiB; each size keeps up to 4 MiB of arrays (at most 64), and sizes above
/// 4 MiB are not kept. <see cref="Rent"/> and <see cref="Return"/>: the loop's thread only;
/// <see cref="Trim"/>: any thread.
/// </summary>
internal sealed class BufferPool
{
    private const int SmallestShift = 12; // 4 KiB
    private const int Sizes = 31 - SmallestShift; // 4 KiB to 1 GiB
    private const int BytesKeptPerSize = 4 << 20;
    private const int MostKeptPerSize = 64;

    private Stack<byte[]>?[] _kept = new Stack<byte[]>?[Sizes];

    /// <summary>An array of at least <paramref name="minimumLength"/> bytes: a power of two, unless larger than 1 GiB.</summary>
    public byte[] Rent(int minimumLength)
    {
        int size = SizeOf(minimumLength);
        if (size >= Sizes)
        {
            return GC.AllocateUninitializedArray<byte>(minimumLength);
        }

        Stack<byte[]>? kept = Volatile.Read(ref _kept)[size];
        return kept is { Count: > 0 } ? kept.Pop() : GC.AllocateUninitializedArray<byte>(1 << (size + SmallestShift));
    }

    /// <summary>Keeps <paramref name="array"/> for reuse if it is of a size kept and there is room; else drops it.</summary>
    public void Return(byte[] array)
    {
        if (array.Length < 1 << SmallestShift || !BitOperations.IsPow2(array.Length))
        {
            return; // Not one of ours.
        }

        int size = SizeOf(array.Length);
        if (size < Sizes && array.Length <= BytesKeptPerSize)
        {
            Stack<byte[]> kept = Volatile.Read(ref _kept)[size] ??= new Stack<byte[]>();
            if (kept.Count < Math.Min(MostKeptPerSize, BytesKeptPerSize / array.Length))
            {
                kept.Push(array);
            }
        }
    }

    /// <summary>Lets go of every array kept. From any thread: the loop may go on using the old
    /// store for a moment, and whatever it puts there is simply dropped.</summary>
    public void Trim() => Volatile.Write(ref _kept, new Stack<byte[]>?[Sizes]);

    private static int SizeOf(int length) =>
        Math.Max(0, BitOperations.Log2(BitOperations.RoundUpToPowerOf2((uint)Math.Max(length, 1))) - SmallestShift);
}
