using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.EndToEnd;

/// <summary>Length-prefixed framing over loopback.</summary>
public sealed class LengthPrefixedTests
{
    [Test]
    public void Each_reply_carries_its_own_length_as_the_readme_shows()
    {
        using var server = new RunningServer("framing: length-prefixed\npipeline: [uppercase]\n");
        using TestClient client = server.Connect();

        client.Send([0, 0, 0, 5, .. "hello"u8, 0, 0, 0, 6, .. "wörld"u8]);

        Assert.That(Convert.ToHexString(client.ReadExactly(19)), Is.EqualTo("0000000548454C4C4F0000000657C396524C44"));
    }

    [Test]
    public void A_reply_whose_length_changed_says_its_new_length()
    {
        using var server = new RunningServer("framing: length-prefixed\npipeline: [uppercase]\n");
        using TestClient client = server.Connect();

        client.Send([0, 0, 0, 4, .. "ɐſ"u8]); // 2 + 2 bytes become 3 + 1

        Assert.That(client.ReadExactly(8), Is.EqualTo((byte[])[0, 0, 0, 4, .. "ⱯS"u8]));
        client.Send([0, 0, 0, 2, .. "ɐ"u8]);
        Assert.That(client.ReadExactly(7), Is.EqualTo((byte[])[0, 0, 0, 3, .. "Ɐ"u8]));
    }
}
