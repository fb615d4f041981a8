using System.Text.RegularExpressions;
using PluggableEcho.Host.Reload;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.Reload;

/// <summary>A reload that cannot be served, of each kind, changes nothing: the clients connected
/// before and the ones that come after get the same replies, and every problem is reported as
/// <c>check</c> reports it, with where it was found.</summary>
public sealed class FailedReloadTests
{
    private const string Running = "listeners:\n  - listen: 127.0.0.1:0\n    pipeline: [uppercase]\nloops: 1\n";

    private static IEnumerable<TestCaseData> Kinds()
    {
        yield return new TestCaseData("listeners:\n  - listen: 127.0.0.1:0\n    pipeline: [reverse\nloops: 1\n", @"echo\.yaml:\d+:\d+: ")
            .SetName("A broken YAML file");
        yield return new TestCaseData("listeners:\n  - listen: 127.0.0.1:0\n    pipeline: [shout]\nloops: 1\n", @"echo\.yaml:3:16: .*'shout'")
            .SetName("A transform no plugin offers");
        yield return new TestCaseData("listeners:\n  - listen: 127.0.0.1:0\n    pipeline: [throws-when-built]\nloops: 1\n", @"echo\.yaml:3:16: transform 'throws-when-built' .* could not be built: .*flux capacitor")
            .SetName("A transform whose constructor throws");
        yield return new TestCaseData("listeners:\n  - listen: 127.0.0.1:0\n    pipeline: [uppercase]\nloops: 2\n", @"loops: cannot change from 1 to 2 while the server runs; restart the server")
            .SetName("A changed loops");
        yield return new TestCaseData("listeners:\n  - listen: 127.0.0.1:0\n    pipeline: [uppercase]\nloops: 1\npoller: select\n", @"poller: cannot change from .* to select while the server runs; restart the server")
            .SetName("A changed poller");
        yield return new TestCaseData("listeners:\n  - listen: 127.0.0.1:0\n    pipeline: [reverse]\n  - listen: {busy}\nloops: 1\n", @"cannot listen on 127\.0\.0\.1:\d+ \(listen: at .*echo\.yaml:4:5\): .*in use")
            .SetName("An address in use");
    }

    [TestCaseSource(nameof(Kinds))]
    public void Changes_nothing_and_says_why_with_where(string broken, string problem)
    {
        using var busy = new PortInUse();
        using var server = new RunningServer(Running);
        using TestClient before = server.Connect();
        before.Send("hello\n");
        Assert.That(before.ReadLine(), Is.EqualTo("HELLO\n"));

        ReloadOutcome outcome = server.Reload(broken.Replace("{busy}", busy.EndPoint.ToString(), StringComparison.Ordinal));

        Assert.That(outcome.Succeeded, Is.False);
        Assert.That(outcome.Generation, Is.EqualTo(1), "the running generation goes on");
        Assert.That(outcome.Problems, Has.Some.Matches(problem), string.Join("\n", outcome.Problems));
        before.Send("again\n");
        Assert.That(before.ReadLine(), Is.EqualTo("AGAIN\n"));
        using (TestClient after = server.Connect())
        {
            after.Send("after\n");
            Assert.That(after.ReadLine(), Is.EqualTo("AFTER\n"));
        }

        Assert.That(server.Host.Reloader.Live.Select(g => g.Number), Is.EqualTo(new[] { 1 }), "nothing of the failed one is kept");
        Assert.That(server.Log.Messages(311), Has.Some.Matches(new Regex(@"reload \(test\) failed; generation 1 goes on unchanged")));

        // And the next good config is taken as if nothing had happened.
        Assert.That(server.Reload(Running.Replace("[uppercase]", "[reverse]", StringComparison.Ordinal)).Problems, Is.Empty);
        using TestClient fixedClient = server.Connect();
        fixedClient.Send("fixed\n");
        Assert.That(fixedClient.ReadLine(), Is.EqualTo("dexif\n"));
    }
}
