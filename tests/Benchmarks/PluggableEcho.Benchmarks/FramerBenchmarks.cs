using BenchmarkDotNet.Attributes;
using PluggableEcho.Host.Networking.Framing;

namespace PluggableEcho.Benchmarks;

/// <summary>
/// Finding one whole message with each framer, against copying its bytes: what framing costs
/// per message beside the copy any receive path does anyway.
/// </summary>
[MemoryDiagnoser]
public class FramerBenchmarks : MessageShapes
{
    private byte[] _line = [];
    private byte[] _prefixed = [];
    private byte[] _copy = [];

    [GlobalSetup]
    public void Setup()
    {
        byte[] message = SampleMessage(Size - 1);
        _line = [.. message, (byte)'\n'];
        _prefixed = new byte[4 + message.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(_prefixed, message.Length);
        message.CopyTo(_prefixed, 4);
        _copy = new byte[_prefixed.Length];
    }

    [Benchmark(Baseline = true, Description = "Span.CopyTo")]
    public int Copy()
    {
        _line.CopyTo(_copy.AsSpan());
        return _copy.Length;
    }

    [Benchmark]
    public int Line() => Frame(LineFramer.Instance, _line);

    [Benchmark]
    public int LengthPrefixed() => Frame(LengthPrefixedFramer.Instance, _prefixed);

    [Benchmark]
    public int Raw() => Frame(RawFramer.Instance, _line);

    private static int Frame(IFramer framer, byte[] input) =>
        framer.TryReadFrame(input, 0, int.MaxValue, out Frame frame) == FrameStatus.Whole ? frame.MessageLength : -1;
}
