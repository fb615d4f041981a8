using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PluggableEcho.Tests.Fleet;

/// <summary>
/// A client that keeps up to <c>window</c> numbered lines unanswered (<c>c17-n123\n</c>) and
/// checks each reply is its line upper-cased, in order. When the server side ends the connection
/// cleanly, the lines it left unanswered are sent again on a new connection; anything else (a
/// reset, a reply cut short or wrong, no reply in time) is a failure.
/// </summary>
internal sealed class PipeliningClient(int id, IPEndPoint server, int window, int maxLines, LoadCounts counts)
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(15);

    private readonly Queue<string> _toResend = new();
    private int _nextNumber;

    /// <summary>Distinct lines made up so far; each is answered once, by the end.</summary>
    public int DistinctLines => _nextNumber;

    /// <summary>Lines answered, each counted once.</summary>
    public int AnsweredLines { get; private set; }

    /// <summary>Sends until <paramref name="keepSending"/> turns false (or maxLines), then until
    /// every line is answered; stops early on a failure.</summary>
    /// <param name="pace">Between a reply and the next line, so that the load stays moderate.</param>
    public async Task RunAsync(Func<bool> keepSending, TimeSpan pace, CancellationToken cancellation)
    {
        bool first = true;
        while (HasWork(keepSending))
        {
            if (!first)
            {
                counts.CountReconnect();
            }

            first = false;
            if (!await RunConnectionAsync(keepSending, pace, cancellation))
            {
                return;
            }
        }
    }

    private bool HasWork(Func<bool> keepSending) => _toResend.Count > 0 || (keepSending() && _nextNumber < maxLines);

    /// <returns>False on a failure, true once the connection ended cleanly or all is answered.</returns>
    private async Task<bool> RunConnectionAsync(Func<bool> keepSending, TimeSpan pace, CancellationToken cancellation)
    {
        var pending = new Queue<string>();
        try
        {
            using var client = new TcpClient { NoDelay = true };
            await client.ConnectAsync(server, cancellation);
            NetworkStream stream = client.GetStream();
            var replies = new ReplyReader(stream);
            while (true)
            {
                while (pending.Count < window && NextLine(keepSending) is { } line)
                {
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(line + "\n"), cancellation);
                    pending.Enqueue(line);
                    counts.CountSent();
                }

                if (pending.Count == 0)
                {
                    return true;
                }

                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                timeout.CancelAfter(ReplyTimeout);
                string? reply = await replies.ReadLineAsync(timeout.Token);
                if (reply is null)
                {
                    counts.CountEndedByServer();
                    ResendLater(pending);
                    return true;
                }

                string expected = pending.Dequeue().ToUpperInvariant();
                if (reply != expected)
                {
                    counts.CountFailure($"client {id}: got '{reply}' for '{expected}'");
                    return false;
                }

                counts.CountAnswered();
                AnsweredLines++;
                await Task.Delay(pace, cancellation);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
            // A reset shows as a SocketException (ConnectionReset), or an IOException around one.
            counts.CountFailure($"client {id}, {pending.Count} lines unanswered: {e.GetType().Name}: {e.Message}");
            return false;
        }
    }

    private string? NextLine(Func<bool> keepSending)
    {
        if (_toResend.TryDequeue(out string? again))
        {
            return again;
        }

        return keepSending() && _nextNumber < maxLines ? $"c{id}-n{_nextNumber++}" : null;
    }

    /// <summary>Lines sent on a connection that ended before their replies go again, in order,
    /// ahead of any new line.</summary>
    private void ResendLater(Queue<string> unanswered)
    {
        foreach (string line in unanswered)
        {
            _toResend.Enqueue(line);
        }
    }
}
