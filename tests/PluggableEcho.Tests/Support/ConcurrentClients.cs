using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PluggableEcho.Tests.Support;

/// <summary>Many clients at once: all connect first, then each sends numbered lines one at a
/// time and collects its own replies.</summary>
internal static class ConcurrentClients
{
    /// <summary>Client i sends <c>client i round r\n</c> in each round r.</summary>
    /// <returns>Each client's replies, concatenated, in client order.</returns>
    public static async Task<string[]> ExchangeAsync(IPEndPoint server, int clients, int rounds, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var connected = new TaskCompletionSource();
        int connecting = clients;

        return await Task.WhenAll(Enumerable.Range(0, clients).Select(async i =>
        {
            using var client = new TcpClient { NoDelay = true };
            await client.ConnectAsync(server, cancel.Token);
            if (Interlocked.Decrement(ref connecting) == 0)
            {
                connected.SetResult();
            }

            await connected.Task.WaitAsync(cancel.Token);
            NetworkStream stream = client.GetStream();
            var received = new StringBuilder();
            for (int round = 0; round < rounds; round++)
            {
                await stream.WriteAsync(Encoding.UTF8.GetBytes($"client {i} round {round}\n"), cancel.Token);
                received.Append(await ReadLineAsync(stream, cancel.Token));
            }

            return received.ToString();
        }));
    }

    private static async Task<string> ReadLineAsync(NetworkStream stream, CancellationToken cancellation)
    {
        var line = new List<byte>();
        byte[] one = new byte[1];
        while (line.Count == 0 || line[^1] != '\n')
        {
            int read = await stream.ReadAsync(one, cancellation);
            if (read == 0)
            {
                throw new IOException("the server closed the connection");
            }

            line.Add(one[0]);
        }

        return Encoding.UTF8.GetString([.. line]);
    }
}
