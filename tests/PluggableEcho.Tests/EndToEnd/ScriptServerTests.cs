using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.EndToEnd;

/// <summary>Script steps in a running server, real clients over loopback.</summary>
public sealed class ScriptServerTests
{
    [Test]
    public void A_script_between_compiled_steps_keeps_state_per_connection_and_can_answer_nothing()
    {
        using var server = new RunningServer("""
            pipeline:
              - uppercase
              - script: |
                  state.count = (state.count || 0) + 1;
                  if (message.startsWith('#')) return null;
                  return state.count + ' ' + message;
              - reverse
            """);
        using TestClient first = server.Connect();
        using TestClient second = server.Connect();

        first.Send("hello\n# not answered\nagain\r\n");
        second.Send("other\n");

        Assert.That(first.ReadLine(), Is.EqualTo("OLLEH 1\n"));
        Assert.That(first.ReadLine(), Is.EqualTo("NIAGA 3\r\n"));
        Assert.That(second.ReadLine(), Is.EqualTo("REHTO 1\n"));
    }

    [Test]
    public void A_script_sees_which_client_it_is_talking_to()
    {
        using var server = new RunningServer("""
            pipeline:
              - script: |
                  return connection.remoteAddress + ':' + connection.remotePort + ' #' + connection.id;
            """);
        using TestClient first = server.Connect();
        using TestClient second = server.Connect();

        first.Send("who\n");
        second.Send("who\n");
        string[] firstReply = first.ReadLine().TrimEnd().Split(" #");
        string[] secondReply = second.ReadLine().TrimEnd().Split(" #");

        Assert.That(firstReply[0], Is.EqualTo(first.LocalEndPoint.ToString()));
        Assert.That(secondReply[0], Is.EqualTo(second.LocalEndPoint.ToString()));
        Assert.That(firstReply[1], Is.Not.EqualTo(secondReply[1]));
    }

    [Test]
    public void A_script_that_hangs_costs_its_client_one_error_and_the_others_nothing()
    {
        using var server = new RunningServer("""
            loops: 1
            pipeline:
              - script: |
                  if (message === 'hang') { while (true) {} }
                  return message;
                limits: { time: 100ms }
            """);
        using TestClient hanging = server.Connect();
        using TestClient bystander = server.Connect();

        hanging.Send("hang\n");
        bystander.Send("still served\n");

        Assert.That(hanging.ReadLine(), Does.Match(@"^ERR script: ran longer than 100 ms at line 1, column \d+ of the script \(line 4 of the config\)\n$"));
        Assert.That(bystander.ReadLine(), Is.EqualTo("still served\n"));
        hanging.Send("and on\n");
        Assert.That(hanging.ReadLine(), Is.EqualTo("and on\n"));
    }
}
