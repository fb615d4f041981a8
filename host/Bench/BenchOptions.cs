using System.Net;

namespace PluggableEcho.Host.Bench;

internal enum BenchMode
{
    /// <summary>Each connection has one message in flight.</summary>
    PingPong,

    /// <summary>Each connection keeps <see cref="BenchOptions.Depth"/> messages in flight.</summary>
    Pipeline,

    /// <summary>Bulk lines both ways as fast as they go; every byte is checked.</summary>
    Stream,

    /// <summary>Connections opened and held, nothing sent.</summary>
    Idle,
}

/// <summary>What the reply to a message should be.</summary>
internal enum Expectation
{
    /// <summary>The message, ASCII upper-cased (PluggableEcho's default pipeline).</summary>
    Upper,

    /// <summary>The message itself.</summary>
    Same,

    /// <summary>Any one line: replies are counted, not checked (Redis answers PING with +PONG).</summary>
    None,
}

/// <summary>One run of the benchmark client.</summary>
/// <param name="Size">A message's length, its '\n' included.</param>
/// <param name="Payload">Sent as the message, with "\r\n", instead of generated text of <see cref="Size"/>.</param>
/// <param name="Chunk">Bytes per write in stream mode.</param>
internal sealed record BenchOptions(
    IPEndPoint Server,
    BenchMode Mode,
    int Connections,
    int Depth,
    int Size,
    TimeSpan Duration,
    TimeSpan Warmup,
    Expectation Expect,
    string? Payload,
    int Chunk,
    int Threads,
    bool Tsv)
{
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan DefaultWarmup = TimeSpan.FromSeconds(1);

    /// <summary>Messages in flight per connection.</summary>
    public int InFlight => Mode == BenchMode.Pipeline ? Depth : 1;
}
