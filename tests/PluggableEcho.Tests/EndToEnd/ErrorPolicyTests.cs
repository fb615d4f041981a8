using System.Text;
using PluggableEcho.Host.Config;
using PluggableEcho.Host.Pipeline;
using PluggableEcho.Host.Plugins;
using PluggableEcho.Host.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.EndToEnd;

/// <summary>What a client gets over a real socket when a step fails, under each on_error policy.</summary>
public sealed class ErrorPolicyTests
{
    private static string Pipeline(string policy) => $"pipeline:\n  - reverse\n  - type: throws-on-boom\n    on_error: {policy}\n  - uppercase\n";

    [Test]
    public void Reply_tells_the_client_on_the_same_framing_and_goes_on()
    {
        using var server = new RunningServer(Pipeline("reply"));
        using TestClient client = server.Connect();

        client.Send("moob\r\nok\n");

        Assert.That(client.ReadLine(), Is.EqualTo("ERR throws-on-boom: the message went boom\r\n"));
        Assert.That(client.ReadLine(), Is.EqualTo("KO\n"));
    }

    [Test]
    public void Drop_sends_nothing_for_that_message_not_even_its_line_ending()
    {
        using var server = new RunningServer(Pipeline("drop"));
        using TestClient client = server.Connect();

        client.Send("one\nmoob\ntwo\n");
        client.EndSending();

        Assert.That(Encoding.UTF8.GetString(client.ReadToEnd()), Is.EqualTo("ENO\nOWT\n"));
    }

    [Test]
    public void Close_sends_the_earlier_replies_then_closes_while_others_carry_on()
    {
        using var server = new RunningServer(Pipeline("close"));
        using TestClient bystander = server.Connect();
        using TestClient client = server.Connect();

        client.Send("one\ntwo\nmoob\nthree\n");

        Assert.That(Encoding.UTF8.GetString(client.ReadToEnd()), Is.EqualTo("ENO\nOWT\n"));
        bystander.Send("still here\n");
        Assert.That(bystander.ReadLine(), Is.EqualTo("EREH LLITS\n"));
    }

    [Test]
    public void Passthrough_skips_the_failing_step_and_the_remaining_steps_still_run()
    {
        using var server = new RunningServer(Pipeline("passthrough"));
        using TestClient client = server.Connect();

        client.Send("moob\nok\n");

        Assert.That(client.ReadLine(), Is.EqualTo("BOOM\n"));
        Assert.That(client.ReadLine(), Is.EqualTo("KO\n"));
    }

    [TestCase("reply")]
    [TestCase("drop")]
    [TestCase("close")]
    [TestCase("passthrough")]
    public void A_transcript_gets_the_same_bytes_as_a_socket_client(string policy)
    {
        string yaml = Pipeline(policy);
        byte[][] chunks = [.. new[] { "one\nmo", "ob\r\n", "two\nthree" }.Select(Encoding.UTF8.GetBytes)];

        byte[] overSocket;
        using (var server = new RunningServer(yaml))
        using (TestClient client = server.Connect())
        {
            foreach (byte[] chunk in chunks)
            {
                client.Send(chunk);
            }

            client.EndSending();
            overSocket = client.ReadToEnd();
        }

        using var folder = new TempFolder();
        ServerSettings settings = ConfigLoader.Load(folder.Write("echo.yaml", yaml), AllPlugins.Folder);
        using PluginSet plugins = PluginSet.Load(AllPlugins.Folder, NullLoggerFactory.Instance);
        using TransformPipeline pipeline = new PipelineFactory(StepBinder.Bind(settings, plugins), NullLoggerFactory.Instance).Create();
        byte[] inProcess = Transcript.Run(settings, pipeline, chunks, NullLogger.Instance);

        Assert.That(Encoding.UTF8.GetString(inProcess), Is.EqualTo(Encoding.UTF8.GetString(overSocket)));
        Assert.That(inProcess, Is.Not.Empty);
    }
}
