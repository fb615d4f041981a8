using System.Text;
using PluggableEcho.Tests.Support;
using static PluggableEcho.Tests.Support.LengthPrefix;

namespace PluggableEcho.Tests.EndToEnd;

/// <summary>Length-prefixed framing over loopback: replies, the too-long policies, malformed and
/// cut-off frames; with each poller.</summary>
[TestFixture("epoll")]
[TestFixture("select")]
public sealed class LengthPrefixedTests(string poller)
{
    private const int MaxMessageBytes = 16;
    private static readonly byte[] TooLongNotice = Notice($"ERR message longer than {MaxMessageBytes} bytes");

    [Test]
    public void Each_reply_carries_its_own_length_as_docs_framing_shows()
    {
        using var server = new RunningServer("framing: length-prefixed\npipeline: [uppercase]\n", poller);
        using TestClient client = server.Connect();

        client.Send([0, 0, 0, 5, .. "hello"u8, 0, 0, 0, 6, .. "wörld"u8]);

        Assert.That(Convert.ToHexString(client.ReadExactly(19)), Is.EqualTo("0000000548454C4C4F0000000657C396524C44"));
    }

    [Test]
    public void A_reply_whose_length_changed_says_its_new_length()
    {
        using var server = new RunningServer("framing: length-prefixed\npipeline: [uppercase]\n", poller);
        using TestClient client = server.Connect();

        client.Send([0, 0, 0, 4, .. "ɐſ"u8]); // 2 + 2 bytes become 3 + 1

        Assert.That(client.ReadExactly(8), Is.EqualTo((byte[])[0, 0, 0, 4, .. "ⱯS"u8]));
        client.Send([0, 0, 0, 2, .. "ɐ"u8]);
        Assert.That(client.ReadExactly(7), Is.EqualTo((byte[])[0, 0, 0, 3, .. "Ɐ"u8]));
    }

    [Test]
    public void Under_close_a_too_long_message_gets_a_notice_after_the_earlier_replies_then_the_end()
    {
        using var server = Server("close");
        using TestClient client = server.Connect();

        client.Send([.. Prefixed("first"u8.ToArray()), .. Prefixed(new byte[MaxMessageBytes + 1]), .. Prefixed("never"u8.ToArray())]);

        Assert.That(client.ReadToEnd(), Is.EqualTo((byte[])[.. Prefixed("FIRST"u8.ToArray()), .. TooLongNotice]));
    }

    [Test]
    public void Under_skip_a_too_long_message_gets_a_notice_in_place_of_its_reply_wherever_the_cuts_fall()
    {
        using var server = Server("skip");
        var random = new RandomText(seed: 10);
        for (int i = 0; i < 50; i++)
        {
            var stream = new List<byte>();
            var expected = new List<byte>();
            for (int count = random.Random.Next(1, 8); count > 0; count--)
            {
                // As long as allowed, or longer, or much longer: its bytes arrive over many reads.
                byte[] message = [.. Enumerable.Range(0, random.Random.Next(3) switch
                {
                    0 => random.Random.Next(MaxMessageBytes + 1),
                    1 => MaxMessageBytes + 1,
                    _ => random.Random.Next(MaxMessageBytes, 200),
                }).Select(_ => (byte)random.Random.Next('a', 'z' + 1))];
                stream.AddRange(Prefixed(message));
                expected.AddRange(message.Length > MaxMessageBytes ? TooLongNotice : Prefixed(Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(message).ToUpperInvariant())));
            }

            using TestClient client = server.Connect();
            List<byte[]> pieces = random.Pieces([.. stream]);
            foreach (byte[] piece in pieces)
            {
                client.Send(piece);
            }

            client.EndSending();
            Assert.That(client.ReadToEnd(), Is.EqualTo(expected.ToArray()), $"case {i}, in {pieces.Count} pieces: {TextOracle.Show([.. stream])}");
        }
    }

    [TestCase("close")]
    [TestCase("skip")]
    public void A_header_no_message_can_have_gets_a_notice_then_the_end(string policy)
    {
        using var server = Server(policy);
        using TestClient client = server.Connect();

        client.Send([.. Prefixed("first"u8.ToArray()), 0xFF, 0xFF, 0xFF, 0xFF, .. "more"u8]);

        Assert.That(client.ReadToEnd(), Is.EqualTo((byte[])[.. Prefixed("FIRST"u8.ToArray()), .. Notice("ERR malformed frame")]));
    }

    [TestCase("", Description = "between messages: nothing is missing")]
    [TestCase("0000", Description = "in the middle of a header")]
    [TestCase("0000000A616263", Description = "in the middle of a message")]
    public void A_client_that_stops_sending_gets_its_replies_and_hears_whether_its_last_frame_was_cut_off(string rest)
    {
        using var server = Server("close");
        using TestClient client = server.Connect();

        client.Send([.. Prefixed("first"u8.ToArray()), .. Convert.FromHexString(rest)]);
        client.EndSending();

        byte[] cutOff = rest.Length == 0 ? [] : Notice("ERR input ended in the middle of a message");
        Assert.That(client.ReadToEnd(), Is.EqualTo((byte[])[.. Prefixed("FIRST"u8.ToArray()), .. cutOff]));
    }

    private RunningServer Server(string policy) => new($"""
        framing: length-prefixed
        pipeline: [uppercase]
        limits:
          max_message_bytes: {MaxMessageBytes}
          on_oversize: {policy}
        """, poller);

    private static byte[] Notice(string text) => Prefixed(Encoding.ASCII.GetBytes(text));
}
