using System.Buffers;

namespace PluggableEcho.Tests.Support;

/// <summary>
/// An output that gives each <see cref="GetSpan"/> exactly the room asked for, no more, and
/// fresh each time, filled with a byte no text holds: a transform that writes past what it asked
/// for, or counts on room it was not given, shows up.
/// </summary>
internal sealed class ExactSizeWriter : IBufferWriter<byte>
{
    private const byte Unwritten = 0xEE;

    private readonly List<byte> _written = [];
    private byte[] _span = [];

    public byte[] Written => [.. _written];

    /// <summary>How many times the transform asked for room.</summary>
    public int Requests { get; private set; }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Requests++;
        _span = new byte[Math.Max(sizeHint, 1)];
        _span.AsSpan().Fill(Unwritten);
        return _span;
    }

    public Memory<byte> GetMemory(int sizeHint = 0) => throw new NotSupportedException("the transforms write to spans");

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _span.Length);
        _written.AddRange(_span.AsSpan(0, count));
        _span = [];
    }
}
