using System.Diagnostics;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.Reload;

/// <summary>What a reload does to the connections open at the time: under <c>keep</c> they keep
/// their pipeline and its per-connection state until <c>reload.drain_timeout</c>, then move at a
/// message boundary, or at once when idle; under <c>switch</c> they move at their next one.</summary>
[NonParallelizable]
public sealed class ExistingConnectionsTests
{
    private const string Counting = "pipeline:\n  - script: |\n      state.count = (state.count || 0) + 1;\n      return '{0}' + state.count + ' ' + message;\n";

    [Test]
    public void Under_keep_a_connection_keeps_its_pipeline_and_state_until_the_drain_timeout_then_moves_with_fresh_state()
    {
        TimeSpan drain = TimeSpan.FromSeconds(3);
        using var server = new RunningServer(Counting.Replace("{0}", "old ", StringComparison.Ordinal));
        using TestClient busy = server.Connect();
        using TestClient idle = server.Connect();
        Assert.That(Say(busy, "a"), Is.EqualTo("old 1 a\n"));
        Assert.That(Say(idle, "a"), Is.EqualTo("old 1 a\n"));

        var clock = Stopwatch.StartNew();
        Assert.That(server.Reload(Counting.Replace("{0}", "new ", StringComparison.Ordinal) + "reload: { existing: keep, drain_timeout: 3s }\n").Problems, Is.Empty);
        Assert.That(Say(busy, "b"), Is.EqualTo("old 2 b\n"), "its old pipeline and its state, for the drain timeout");

        // The idle one moves when the timeout comes, without a message: the old generation then ends.
        Assert.That(server.Log.WaitFor(312), Does.Contain("generation 1 ended"));
        Assert.That(clock.Elapsed, Is.GreaterThanOrEqualTo(drain - TimeSpan.FromMilliseconds(50)), "not before the drain timeout");
        Assert.That(Say(busy, "c"), Is.EqualTo("new 1 c\n"), "the new pipeline, with state of its own");
        Assert.That(Say(idle, "c"), Is.EqualTo("new 1 c\n"));
    }

    [Test]
    public void Under_switch_a_connection_moves_at_its_next_message_with_fresh_state_and_the_old_generation_ends_at_once()
    {
        using var server = new RunningServer(Counting.Replace("{0}", "old ", StringComparison.Ordinal));
        using TestClient client = server.Connect();
        Assert.That(Say(client, "a"), Is.EqualTo("old 1 a\n"));
        Assert.That(Say(client, "b"), Is.EqualTo("old 2 b\n"));

        Assert.That(server.Reload(Counting.Replace("{0}", "new ", StringComparison.Ordinal) + "reload: { existing: switch }\n").Problems, Is.Empty);

        Assert.That(server.Log.WaitFor(312), Does.Contain("generation 1 ended"), "its idle connection moved with the reload");
        Assert.That(Say(client, "c"), Is.EqualTo("new 1 c\n"));
    }

    [Test]
    public void A_message_cut_across_a_reload_is_answered_whole_by_the_pipeline_it_began_in()
    {
        using var server = new RunningServer("pipeline: [uppercase]\n");
        using TestClient client = server.Connect();
        client.Send("first half, ");
        client.Send("x\nx"); // The server may read these apart or together: either way, one message is unfinished.
        Assert.That(client.ReadLine(), Is.EqualTo("FIRST HALF, X\n"));

        Assert.That(server.Reload("pipeline: [reverse]\nreload: { existing: switch }\n").Problems, Is.Empty);
        client.Send("yz\nabc\n");

        Assert.That(client.ReadLine(), Is.EqualTo("XYZ\n"), "begun before the reload: the old pipeline answers it, whole");
        Assert.That(client.ReadLine(), Is.EqualTo("cba\n"), "the next message moves");
    }

    private static string Say(TestClient client, string line)
    {
        client.Send(line + "\n");
        return client.ReadLine();
    }
}
