using System.Net;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.Fleet;

/// <summary>HAProxy's send-proxy-v2 and the servers' proxy_protocol: v2: a server sees the client, not HAProxy.</summary>
public sealed class ClientAddressTests
{
    private const string WhoAmI = """
        pipeline:
          - script: |
              return connection.remoteAddress + ':' + connection.remotePort;

        """;

    [Test]
    [CancelAfter(60_000)]
    public async Task A_script_behind_haproxy_sees_the_clients_own_address_and_port()
    {
        using EchoFleet fleet = await EchoFleet.StartAsync(3, WhoAmI);

        // Held open together, so that leastconn gives each client another server.
        var clients = Enumerable.Range(0, fleet.Size).Select(_ => new TestClient(fleet.Haproxy.ClientEndPoint)).ToList();
        try
        {
            foreach (TestClient client in clients)
            {
                client.Send("who am I?\n");
                IPEndPoint me = client.LocalEndPoint;
                Assert.That(client.ReadLine(), Is.EqualTo($"{me.Address}:{me.Port}\n"));
            }
        }
        finally
        {
            clients.ForEach(client => client.Dispose());
        }
    }
}
