using System.Net.Sockets;
using System.Text;

namespace PluggableEcho.Host.Client;

/// <summary>The two ways <c>client</c> talks to a server: by hand, or relaying a script's bytes.</summary>
internal static class EchoClient
{
    public const string Prompt = "msg>>: ";

    // How long a conversation waits for a reply before prompting again: a server may send none
    // (on_error: drop), and a person must not be left without a prompt.
    private static readonly TimeSpan ReplyWait = TimeSpan.FromSeconds(2);

    /// <summary>Sends <paramref name="input"/> as it is, then ends our side; copies every reply to
    /// <paramref name="output"/> until the server closes.</summary>
    public static async Task RelayAsync(Socket socket, Stream input, Stream output)
    {
        using var connection = new NetworkStream(socket, ownsSocket: false);
        Task sending = SendAllAsync(input, connection, socket);
        await connection.CopyToAsync(output).ConfigureAwait(false);
        await output.FlushAsync().ConfigureAwait(false);
        if (sending.IsCompleted)
        {
            await sending.ConfigureAwait(false); // Its failure, if any, is the client's too.
        }

        // Otherwise the server closed before our input ended: nothing more will be answered.
    }

    /// <summary>Prompts for a line, sends it, prints the reply; until the input or the server ends.</summary>
    public static void Converse(Socket socket, TextReader input, TextWriter output)
    {
        var reply = new ReplyReader(socket);
        while (true)
        {
            output.Write(Prompt);
            output.Flush();
            if (input.ReadLine() is not { } line)
            {
                break;
            }

            socket.Send(Encoding.UTF8.GetBytes(line + "\n"));
            bool open = reply.ReadLine(ReplyWait, out string text);
            output.Write(text);
            if (!open)
            {
                output.WriteLine();
                output.WriteLine("(the server closed the connection)");
                return;
            }
        }

        output.WriteLine();
        socket.Shutdown(SocketShutdown.Send);
        bool more;
        do
        {
            more = reply.ReadLine(Timeout.InfiniteTimeSpan, out string rest);
            output.Write(rest);
        }
        while (more);
    }

    private static async Task SendAllAsync(Stream input, NetworkStream connection, Socket socket)
    {
        await input.CopyToAsync(connection).ConfigureAwait(false);
        socket.Shutdown(SocketShutdown.Send);
    }

    /// <summary>Reads replies up to a line's end, without losing what came after it.</summary>
    private sealed class ReplyReader(Socket socket)
    {
        private readonly byte[] _chunk = new byte[64 * 1024];
        private readonly List<byte> _pending = [];

        /// <param name="text">A line with its ending; or what came before the wait ran out.</param>
        /// <returns>False once the server has closed and nothing is left.</returns>
        public bool ReadLine(TimeSpan wait, out string text)
        {
            DateTime deadline = DateTime.UtcNow + (wait == Timeout.InfiniteTimeSpan ? TimeSpan.Zero : wait);
            bool open = true;
            int newline;
            while ((newline = _pending.IndexOf((byte)'\n')) < 0 && open)
            {
                TimeSpan left = wait == Timeout.InfiniteTimeSpan ? Timeout.InfiniteTimeSpan : deadline - DateTime.UtcNow;
                if ((left != Timeout.InfiniteTimeSpan && left <= TimeSpan.Zero) || !socket.Poll(left, SelectMode.SelectRead))
                {
                    break;
                }

                int received = socket.Receive(_chunk);
                _pending.AddRange(_chunk.AsSpan(0, received));
                open = received > 0;
            }

            int take = newline >= 0 ? newline + 1 : _pending.Count;
            text = Encoding.UTF8.GetString([.. _pending.Take(take)]);
            _pending.RemoveRange(0, take);
            return open || _pending.Count > 0;
        }
    }
}
