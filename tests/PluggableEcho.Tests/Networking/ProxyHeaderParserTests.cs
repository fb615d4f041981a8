using System.Net;
using System.Text;
using PluggableEcho.Host.Networking.Proxy;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.Networking;

public sealed class ProxyHeaderParserTests
{
    private static readonly IPEndPoint Server4 = IPEndPoint.Parse("198.51.100.2:7000");
    private static readonly IPEndPoint Server6 = IPEndPoint.Parse("[2001:db8::2]:7000");

    [TestCase("203.0.113.7:51234")]
    [TestCase("0.0.0.0:0")]
    [TestCase("255.255.255.255:65535")]
    [TestCase("[2001:db8::7]:443")]
    [TestCase("[::]:2")]
    public void Both_versions_name_the_client_and_the_length_of_the_header(string client)
    {
        IPEndPoint endPoint = IPEndPoint.Parse(client);
        IPEndPoint server = endPoint.AddressFamily == Server4.AddressFamily ? Server4 : Server6;
        foreach ((byte[] header, ProxyProtocol version) in new[] { (ProxyHeaders.V1(endPoint, server), ProxyProtocol.V1), (ProxyHeaders.V2(endPoint, server), ProxyProtocol.V2) })
        {
            byte[] input = [.. header, .. "hello\n"u8];
            foreach (ProxyProtocol accepted in new[] { version, ProxyProtocol.Any })
            {
                Assert.That(ProxyHeaderParser.TryParse(input, accepted, out ProxyHeader parsed, out _), Is.EqualTo(ProxyHeaderStatus.Whole), $"{version}, {accepted}");
                Assert.That(parsed.Length, Is.EqualTo(header.Length));
                Assert.That(parsed.Source.ToEndPoint(), Is.EqualTo(endPoint));
            }
        }
    }

    [Test]
    public void V2_TLVs_are_skipped_up_to_the_bound_and_a_longer_header_is_refused_from_its_first_16_bytes()
    {
        IPEndPoint client = IPEndPoint.Parse("203.0.113.7:4242");
        byte[] longest = ProxyHeaders.V2(client, Server4, ProxyHeaderParser.MaxV2Bytes - 28);
        Assert.That(ProxyHeaderParser.TryParse(longest, ProxyProtocol.V2, out ProxyHeader parsed, out _), Is.EqualTo(ProxyHeaderStatus.Whole));
        Assert.That((parsed.Length, parsed.Source.ToEndPoint()), Is.EqualTo((ProxyHeaderParser.MaxV2Bytes, client)));

        byte[] tooLong = ProxyHeaders.V2(client, Server4, ProxyHeaderParser.MaxV2Bytes - 27);
        Assert.That(ProxyHeaderParser.TryParse(tooLong.AsSpan(0, 16), ProxyProtocol.V2, out _, out ProxyHeaderProblem problem), Is.EqualTo(ProxyHeaderStatus.Refused));
        Assert.That(problem, Is.EqualTo(ProxyHeaderProblem.V2TooLong));
    }

    [Test]
    public void An_IPv4_client_named_in_IPv6_form_by_a_dual_stack_balancer_is_given_as_IPv4()
    {
        IPEndPoint mapped = IPEndPoint.Parse("[::ffff:203.0.113.7]:1");
        foreach (byte[] header in new[] { ProxyHeaders.V1(mapped, Server6), ProxyHeaders.V2(mapped, Server6) })
        {
            Assert.That(ProxyHeaderParser.TryParse(header, ProxyProtocol.Any, out ProxyHeader parsed, out _), Is.EqualTo(ProxyHeaderStatus.Whole));
            Assert.That(parsed.Source.ToEndPoint(), Is.EqualTo(IPEndPoint.Parse("203.0.113.7:1")));
        }
    }

    [Test]
    public void Headers_that_name_no_client_are_whole_with_none()
    {
        byte[] unspec = [.. ProxyHeaders.V2Signature, 0x21, 0x00, 0x00, 0x00];
        byte[][] headers = [ProxyHeaders.V2Local(), unspec, "PROXY UNKNOWN\r\n"u8.ToArray(), "PROXY UNKNOWN ffff::1 ffff::2 1 2\r\n"u8.ToArray()];
        foreach (byte[] header in headers)
        {
            Assert.That(ProxyHeaderParser.TryParse(header, ProxyProtocol.Any, out ProxyHeader parsed, out _), Is.EqualTo(ProxyHeaderStatus.Whole));
            Assert.That(parsed.Length, Is.EqualTo(header.Length));
            Assert.That(parsed.Source.IsNone, Is.True);
            Assert.That(parsed.Source.ToEndPoint(), Is.Null);
        }
    }

    [TestCase("hello\n", "Any", "Missing")]
    [TestCase("GET / HTTP/1.1\r\n", "V1", "Missing")]
    [TestCase("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\n", "V2", "WrongVersion")]
    [TestCase("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n", "V1", "Malformed")]
    [TestCase("PROXY TCP4 1.2.3.4  5.6.7.8 1 2\r\n", "V1", "Malformed")]
    [TestCase("PROXY TCP4 1.2.3.4 5.6.7.8 1 2 3\r\n", "V1", "Malformed")]
    [TestCase("PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n", "V1", "Malformed")]
    [TestCase("PROXY TCP4 1.2.3.256 5.6.7.8 1 2\r\n", "V1", "Malformed")]
    [TestCase("PROXY TCP4 1.2.3.4 5.6.7.8 65536 2\r\n", "V1", "Malformed")]
    [TestCase("PROXY TCP4 01.2.3.4 5.6.7.8 1 2\r\n", "V1", "Malformed")]
    [TestCase("PROXY TCP4 1.2.3.4 5.6.7.8 080 2\r\n", "V1", "Malformed")]
    [TestCase("PROXY TCP6 ::ffff:1.02.3.4 ::1 1 2\r\n", "V1", "Malformed")]
    [TestCase("PROXY TCP4 ::1 ::2 1 2\r\n", "V1", "Malformed")]
    [TestCase("PROXY TCP6 1.2.3.4 5.6.7.8 1 2\r\n", "V1", "Malformed")]
    [TestCase("PROXY TCP6 1:::2 ::1 1 2\r\n", "V1", "Malformed")]
    [TestCase("PROXY UDP4 1.2.3.4 5.6.7.8 1 2\r\n", "V1", "Malformed")]
    [TestCase("PROXY UNKNOWNX\r\n", "V1", "Malformed")]
    public void Wrong_headers_are_refused_with_the_reason(string text, string accepted, string expected)
    {
        Assert.That(Refusal(Encoding.ASCII.GetBytes(text), Enum.Parse<ProxyProtocol>(accepted)), Is.EqualTo(Enum.Parse<ProxyHeaderProblem>(expected)));
    }

    [Test]
    public void Wrong_v2_headers_are_refused_with_the_reason()
    {
        byte[] header = ProxyHeaders.V2(IPEndPoint.Parse("203.0.113.7:1"), Server4);
        Assert.That(Refusal(header, ProxyProtocol.V1), Is.EqualTo(ProxyHeaderProblem.WrongVersion));
        Assert.That(Refusal(With(header, 12, 0x11), ProxyProtocol.V2), Is.EqualTo(ProxyHeaderProblem.Malformed), "version 1 in a v2 signature");
        Assert.That(Refusal(With(header, 12, 0x22), ProxyProtocol.V2), Is.EqualTo(ProxyHeaderProblem.Malformed), "an unknown command");
        Assert.That(Refusal(With(header, 13, 0x12), ProxyProtocol.V2), Is.EqualTo(ProxyHeaderProblem.NotStream), "UDP");
        Assert.That(Refusal(With(header, 13, 0x41), ProxyProtocol.V2), Is.EqualTo(ProxyHeaderProblem.Malformed), "an unknown family");
        Assert.That(Refusal(With(header, 13, 0x21), ProxyProtocol.V2), Is.EqualTo(ProxyHeaderProblem.Malformed), "IPv6 in room for IPv4");
    }

    [Test]
    public void A_v1_line_without_its_end_is_refused_once_it_is_longer_than_the_protocol_allows()
    {
        byte[] endless = [.. "PROXY TCP6 "u8, .. Enumerable.Repeat((byte)'f', 200)];
        Assert.That(ProxyHeaderParser.TryParse(endless.AsSpan(0, ProxyHeaderParser.MaxV1Bytes - 1), ProxyProtocol.V1, out _, out _), Is.EqualTo(ProxyHeaderStatus.Incomplete));
        Assert.That(Refusal(endless.AsSpan(0, ProxyHeaderParser.MaxV1Bytes), ProxyProtocol.Any), Is.EqualTo(ProxyHeaderProblem.V1TooLong));
    }

    /// <summary>
    /// Whatever the cut, a header is incomplete until its last byte and whole from then on, with
    /// the same client; the bytes after it are never taken for it.
    /// </summary>
    [Test]
    public void Every_cut_of_a_random_header_is_incomplete_until_its_last_byte([Values(1, 2, 3)] int seed)
    {
        var random = new Random(seed);
        for (int round = 0; round < 300; round++)
        {
            IPEndPoint client = RandomEndPoint(random);
            IPEndPoint server = client.AddressFamily == Server4.AddressFamily ? Server4 : Server6;
            bool v2 = random.Next(2) == 0;
            byte[] header = v2 ? ProxyHeaders.V2(client, server, random.Next(3) == 0 ? random.Next(3, 400) : 0) : ProxyHeaders.V1(client, server);
            byte[] input = [.. header, .. RandomBytes(random, random.Next(0, 20))];
            ProxyProtocol accepted = random.Next(2) == 0 ? ProxyProtocol.Any : v2 ? ProxyProtocol.V2 : ProxyProtocol.V1;
            for (int cut = 0; cut <= input.Length; cut++)
            {
                ProxyHeaderStatus status = ProxyHeaderParser.TryParse(input.AsSpan(0, cut), accepted, out ProxyHeader parsed, out ProxyHeaderProblem problem);
                if (cut < header.Length)
                {
                    Assert.That(status, Is.EqualTo(ProxyHeaderStatus.Incomplete), $"seed {seed}, round {round}: {cut} of {header.Length} bytes ({problem})");
                }
                else
                {
                    Assert.That(status, Is.EqualTo(ProxyHeaderStatus.Whole), $"seed {seed}, round {round}: {cut} bytes");
                    Assert.That((parsed.Length, parsed.Source.ToEndPoint()), Is.EqualTo((header.Length, Unmapped(client))));
                }
            }
        }
    }

    /// <summary>Garbage never throws, is never taken for a header, and is never waited on past
    /// the longest header: the bound on what a connection can make the server hold.</summary>
    [Test]
    public void Random_garbage_is_refused_or_incomplete_within_the_bound([Values(1, 2, 3)] int seed)
    {
        var random = new Random(seed);
        byte[] v1Start = "PROXY "u8.ToArray();
        for (int round = 0; round < 3000; round++)
        {
            // Garbage after a real start too, so the parser gets past its first check.
            byte[] start = (round % 3) switch { 0 => [], 1 => v1Start, _ => ProxyHeaders.V2Signature };
            byte[] input = [.. start, .. RandomBytes(random, random.Next(0, 3000))];
            ProxyHeaderStatus status = ProxyHeaderParser.TryParse(input, ProxyProtocol.Any, out ProxyHeader parsed, out _);
            string context = $"seed {seed}, round {round}: {Convert.ToHexString(input.AsSpan(0, Math.Min(input.Length, 40)))}";
            if (status == ProxyHeaderStatus.Incomplete)
            {
                Assert.That(input.Length, Is.LessThan(ProxyHeaderParser.MaxV2Bytes), context);
            }
            else if (status == ProxyHeaderStatus.Whole)
            {
                // Random bytes can make a v2 header (any length field, LOCAL or a valid family).
                Assert.That(start, Is.EqualTo(ProxyHeaders.V2Signature), context);
                Assert.That(parsed.Length, Is.InRange(16, Math.Min(input.Length, ProxyHeaderParser.MaxV2Bytes)), context);
            }
        }
    }

    /// <summary>The hand-written address parser agrees with the framework's on what the framework
    /// writes, and refuses what it refuses.</summary>
    [Test]
    public void IPv6_text_is_read_as_the_framework_reads_it([Values(1, 2)] int seed)
    {
        var random = new Random(seed);
        Span<byte> parsed = stackalloc byte[16];
        for (int round = 0; round < 5000; round++)
        {
            var address = new IPAddress(RandomIPv6Bytes(random));
            string text = address.ToString();
            Assert.That(V1Text.TryParseIPv6(Encoding.ASCII.GetBytes(text), parsed), Is.True, text);
            Assert.That(new IPAddress(parsed), Is.EqualTo(address), text);
        }

        foreach (string text in new[] { "", ":", ":::", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", "g::", "1:2:3:4:5:6:7:1.2.3.4", "::1.2.3", "::1.2.3.4:5", "fe80::1%eth0", "1:" })
        {
            Assert.That(V1Text.TryParseIPv6(Encoding.ASCII.GetBytes(text), parsed), Is.False, text);
        }

        foreach (string text in new[] { "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "1:2:3:4:5:6:1.2.3.4", "::ffff:1.2.3.4", "ABCD::ef01" })
        {
            Assert.That(V1Text.TryParseIPv6(Encoding.ASCII.GetBytes(text), parsed), Is.True, text);
            Assert.That(new IPAddress(parsed), Is.EqualTo(IPAddress.Parse(text)), text);
        }
    }

    private static IPEndPoint Unmapped(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;

    private static ProxyHeaderProblem Refusal(ReadOnlySpan<byte> input, ProxyProtocol accepted)
    {
        Assert.That(ProxyHeaderParser.TryParse(input, accepted, out _, out ProxyHeaderProblem problem), Is.EqualTo(ProxyHeaderStatus.Refused));
        return problem;
    }

    private static byte[] With(byte[] header, int index, byte value)
    {
        byte[] changed = [.. header];
        changed[index] = value;
        return changed;
    }

    private static IPEndPoint RandomEndPoint(Random random) => new(
        random.Next(2) == 0 ? new IPAddress(RandomBytes(random, 4)) : new IPAddress(RandomIPv6Bytes(random)),
        random.Next(0, 65536));

    /// <summary>With runs of zero groups, so that the text has <c>::</c> in all its places.</summary>
    private static byte[] RandomIPv6Bytes(Random random)
    {
        byte[] bytes = RandomBytes(random, 16);
        int zeroFrom = random.Next(0, 8);
        int zeroTo = random.Next(zeroFrom, 9);
        bytes.AsSpan(zeroFrom * 2, (zeroTo - zeroFrom) * 2).Clear();
        if (random.Next(8) == 0)
        {
            bytes.AsSpan(0, 10).Clear(); // ::ffff:a.b.c.d, which the framework writes dotted.
            bytes[10] = bytes[11] = 0xFF;
        }

        return bytes;
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }
}
