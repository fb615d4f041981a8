using System.Text;
using PluggableEcho.Tests.Support;
using static PluggableEcho.Tests.Support.LengthPrefix;
using static PluggableEcho.Tests.Support.TextOracle;

namespace PluggableEcho.Tests.EndToEnd;

/// <summary>
/// Random messages written as a network might cut them (a byte at a time, in random small
/// pieces, or many messages in one write), over real loopback sockets: each gets the reply its
/// transforms give, whatever the cuts. Seeded; each case on a connection of its own; with each poller.
/// </summary>
[TestFixture("epoll")]
[TestFixture("select")]
public sealed class SegmentationTests(string poller)
{
    private const int Cases = 50;

    [Test]
    public void Text_gets_the_same_replies_however_it_is_cut(
        [Values("line", "length-prefixed")] string framing,
        [Values("reverse", "uppercase, rot13")] string pipeline)
    {
        string[] steps = pipeline.Split(", ");
        using var server = new RunningServer($"framing: {framing}\npipeline: [{pipeline}]\n", poller);
        var random = new RandomText(seed: 8);
        for (int i = 0; i < Cases; i++)
        {
            var stream = new List<byte>();
            var expected = new List<byte>();
            for (int count = random.Random.Next(1, 12); count > 0; count--)
            {
                string message = random.Elements(20, lineBreaks: framing != "line");
                byte[] reply = Encoding.UTF8.GetBytes(Apply(steps, message));
                if (framing == "line")
                {
                    string ending = random.Random.Next(2) == 0 ? "\n" : "\r\n";
                    stream.AddRange(Encoding.UTF8.GetBytes(message + ending));
                    expected.AddRange([.. reply, .. Encoding.ASCII.GetBytes(ending)]);
                }
                else
                {
                    stream.AddRange(Prefixed(Encoding.UTF8.GetBytes(message)));
                    expected.AddRange(Prefixed(reply));
                }
            }

            AssertReplies(server, random.Pieces([.. stream]), [.. expected], $"case {i}");
        }
    }

    [Test]
    public void Length_prefixed_messages_carry_any_bytes()
    {
        using var server = new RunningServer("framing: length-prefixed\npipeline: [rot13]\n", poller);
        var random = new RandomText(seed: 9);
        for (int i = 0; i < Cases; i++)
        {
            var stream = new List<byte>();
            var expected = new List<byte>();
            for (int count = random.Random.Next(1, 12); count > 0; count--)
            {
                byte[] message = random.Binary(100);
                stream.AddRange(Prefixed(message));
                expected.AddRange(Prefixed([.. message.Select(Rot13)]));
            }

            AssertReplies(server, random.Pieces([.. stream]), [.. expected], $"case {i}");
        }
    }

    private static void AssertReplies(RunningServer server, List<byte[]> pieces, byte[] expected, string what)
    {
        using TestClient client = server.Connect();
        foreach (byte[] piece in pieces)
        {
            client.Send(piece);
        }

        string sent = Show([.. pieces.SelectMany(p => p)]);
        Assert.That(client.ReadExactly(expected.Length), Is.EqualTo(expected), $"{what}, in {pieces.Count} pieces: {sent}");
        client.EndSending();
        Assert.That(client.ReadToEnd(), Is.Empty, $"{what}: nothing more");
    }
}
