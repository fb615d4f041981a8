using System.Buffers;
using System.Numerics;

namespace PluggableEcho.Host.Buffers;

/// <summary>The runtime's shared pool, for buffers no loop counts (transcripts, notices, tests):
/// safe from any thread. Its sizes are powers of two, so other sizes are made and dropped.</summary>
internal sealed class SharedArrays : IByteArrays
{
    public static readonly SharedArrays Instance = new();

    public byte[] Rent(int minimumLength) => ArrayPool<byte>.Shared.Rent(minimumLength);

    public byte[] RentExactly(int length) =>
        BitOperations.IsPow2(length) ? ArrayPool<byte>.Shared.Rent(length) : GC.AllocateUninitializedArray<byte>(length);

    public void Return(byte[] array)
    {
        if (BitOperations.IsPow2(array.Length)) // Only the pool's own go back to it: it refuses others.
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}
