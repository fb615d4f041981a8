using System.Net;
using System.Text;
using BenchmarkDotNet.Attributes;
using PluggableEcho.Host.Networking.Framing;
using PluggableEcho.Host.Networking.Proxy;

namespace PluggableEcho.Benchmarks;

/// <summary>
/// Reading one PROXY header, as a listener with <c>proxy_protocol</c> does once per connection,
/// against finding one short line: the header's cost in units of the framing every message pays.
/// The parse allocates nothing; the endpoint made from it (what the socket's own peer address
/// costs too) is measured on its own.
/// </summary>
[MemoryDiagnoser]
public class ProxyHeaderBenchmarks
{
    private readonly byte[] Line = "hello world\n"u8.ToArray();

    // What HAProxy sends: send-proxy for v1, send-proxy-v2 (no TLVs unless asked) for v2.
    private readonly byte[] V1Tcp4 = Encoding.ASCII.GetBytes("PROXY TCP4 203.0.113.7 198.51.100.2 51234 7000\r\n");
    private readonly byte[] V1Tcp6 = Encoding.ASCII.GetBytes("PROXY TCP6 2001:db8:85a3::8a2e:370:7334 2001:db8::2 51234 7000\r\n");
    private readonly byte[] V2Tcp4 = V2(IPAddress.Parse("203.0.113.7"), IPAddress.Parse("198.51.100.2"));
    private readonly byte[] V2Tcp6 = V2(IPAddress.Parse("2001:db8:85a3::8a2e:370:7334"), IPAddress.Parse("2001:db8::2"));

    [Benchmark(Baseline = true, Description = "a 12-byte line, framed")]
    public int FrameLine() =>
        LineFramer.Instance.TryReadFrame(Line, 0, int.MaxValue, out Frame frame) == FrameStatus.Whole ? frame.Length : -1;

    [Benchmark(Description = "v1 TCP4")]
    public int ParseV1Tcp4() => Parse(V1Tcp4);

    [Benchmark(Description = "v1 TCP6")]
    public int ParseV1Tcp6() => Parse(V1Tcp6);

    [Benchmark(Description = "v2 TCP4")]
    public int ParseV2Tcp4() => Parse(V2Tcp4);

    [Benchmark(Description = "v2 TCP6")]
    public int ParseV2Tcp6() => Parse(V2Tcp6);

    [Benchmark(Description = "v2 TCP4, and its IPEndPoint")]
    public IPEndPoint? ParseV2Tcp4ToEndPoint()
    {
        ProxyHeaderParser.TryParse(V2Tcp4, ProxyProtocol.Any, out ProxyHeader header, out _);
        return header.Source.ToEndPoint();
    }

    private static int Parse(byte[] input) =>
        ProxyHeaderParser.TryParse(input, ProxyProtocol.Any, out ProxyHeader header, out _) == ProxyHeaderStatus.Whole ? header.Length : -1;

    private static byte[] V2(IPAddress client, IPAddress server)
    {
        byte[] from = client.GetAddressBytes();
        byte[] to = server.GetAddressBytes();
        byte[] header = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, 0x21, from.Length == 4 ? (byte)0x11 : (byte)0x21, 0, (byte)((from.Length * 2) + 4), .. from, .. to, 0xC8, 0x22, 0x1B, 0x58];
        return header;
    }
}
