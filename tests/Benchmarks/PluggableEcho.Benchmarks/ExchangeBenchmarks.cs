using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using PluggableEcho.Host.Buffers;
using PluggableEcho.Host.Networking;
using PluggableEcho.Host.Networking.Framing;
using PluggableEcho.Host.Pipeline;

namespace PluggableEcho.Benchmarks;

/// <summary>
/// A 64 KiB read of 64-byte lines through the exchange (framing, an empty pipeline, reply
/// framing), as stream mode feeds it, with and without a turn: what watching the clock for
/// fairness costs a read of a thousand fast messages.
/// </summary>
[MemoryDiagnoser]
public class ExchangeBenchmarks : IDisposable
{
    private readonly byte[] _read = [.. Enumerable.Range(0, 1024).SelectMany(_ => "the quick brown fox jumps over the lazy dog, again and again..\n"u8.ToArray())];
    private readonly ByteBuffer _output = new();
    private TransformPipeline? _pipeline;
    private MessageExchange _unlimited = null!;
    private MessageExchange _turns = null!;

    [GlobalSetup]
    public void Setup()
    {
        _pipeline = new TransformPipeline([], NullLogger<TransformPipeline>.Instance);
        var limits = new ConnectionLimits();
        _unlimited = new MessageExchange(new ExchangeContext(LineFramer.Instance, _pipeline, limits, NullLogger.Instance));
        _turns = new MessageExchange(new ExchangeContext(LineFramer.Instance, _pipeline, limits, NullLogger.Instance, LoopListener.Turn));
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _pipeline?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true, Description = "no turn (a transcript)")]
    public int WithoutTurns() => Run(_unlimited);

    [Benchmark(Description = "a 200 us turn (a connection)")]
    public int WithTurns() => Run(_turns);

    private int Run(MessageExchange exchange)
    {
        exchange.BeginTurn();
        exchange.Receive(_read, _output);
        int length = _output.Length;
        _output.Clear();
        return length;
    }
}
