using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using PluggableEcho.Host;
using PluggableEcho.Host.Config;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.EndToEnd;

/// <summary>One server, one set of loops, several listeners each with its own framing and pipeline.</summary>
[TestFixture("epoll")]
[TestFixture("select")]
public sealed class ListenersTests(string poller)
{
    [Test]
    public void Each_listener_answers_with_its_own_framing_pipeline_and_limits()
    {
        using var folder = new TempFolder();
        string config = folder.Write("echo.yaml", $$"""
            poller: {{poller}}
            plugins: {{AllPlugins.Folder}}
            pipeline: [uppercase]
            listeners:
              - listen: 127.0.0.1:0
              - listen: 127.0.0.1:0
                pipeline: [reverse]
                limits: { max_message_bytes: 4 }
              - listen: 127.0.0.1:0
                framing: length-prefixed

            """);
        using ILoggerFactory logging = TestLogging.Create();
        using EchoHost host = EchoHost.Start(ConfigLoader.Load(config, TestPaths.SamplePlugins), logging);
        IReadOnlyList<IPEndPoint> endPoints = host.Server.LocalEndPoints;
        Assert.That(endPoints.Select(e => e.Port).Distinct().Count(), Is.EqualTo(3), "three ports");

        using var upper = new TestClient(endPoints[0]);
        using var reversed = new TestClient(endPoints[1]);
        using var prefixed = new TestClient(endPoints[2]);
        upper.Send("hello\n");
        reversed.Send("abc\n");
        prefixed.Send(LengthPrefix.Prefixed("framed"u8.ToArray()));

        Assert.That(upper.ReadLine(), Is.EqualTo("HELLO\n"));
        Assert.That(reversed.ReadLine(), Is.EqualTo("cba\n"));
        Assert.That(prefixed.ReadExactly(10), Is.EqualTo(LengthPrefix.Prefixed("FRAMED"u8.ToArray())));

        reversed.Send("too long\n");
        Assert.That(Encoding.ASCII.GetString(reversed.ReadToEnd()), Is.EqualTo("ERR message longer than 4 bytes\n"), "its own limits");
        upper.Send("not too long for this one\n");
        Assert.That(upper.ReadLine(), Is.EqualTo("NOT TOO LONG FOR THIS ONE\n"));
        Assert.That(host.Completion.IsCompleted, Is.False);
    }
}
