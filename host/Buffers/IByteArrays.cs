namespace PluggableEcho.Host.Buffers;

/// <summary>Where a <see cref="ByteBuffer"/> takes its arrays from and gives them back to.</summary>
internal interface IByteArrays
{
    /// <summary>An array of at least <paramref name="minimumLength"/> bytes.</summary>
    byte[] Rent(int minimumLength);

    /// <summary>An array of exactly <paramref name="length"/> bytes (of at least 4 KiB).</summary>
    byte[] RentExactly(int length);

    /// <summary>Takes back an array, if it is one it can keep; else drops it.</summary>
    void Return(byte[] array);
}
