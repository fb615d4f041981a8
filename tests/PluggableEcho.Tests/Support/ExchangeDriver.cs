using System.Text;
using PluggableEcho.Host.Buffers;
using PluggableEcho.Host.Networking;

namespace PluggableEcho.Tests.Support;

/// <summary>Drives an exchange as a connection does: each piece as one read in a turn of its own,
/// the backlog answered turn after turn before the next read, then the end of input.</summary>
internal static class ExchangeDriver
{
    /// <returns>Everything replied, as ASCII.</returns>
    public static string Talk(ExchangeContext context, byte[] bytes, IEnumerable<int> pieces)
    {
        var exchange = new MessageExchange(context);
        var output = new ByteBuffer();
        int at = 0;
        foreach (int length in pieces)
        {
            exchange.BeginTurn();
            exchange.Receive(bytes.AsSpan(at, length), output);
            at += length;
            while (exchange.HasBacklog)
            {
                exchange.BeginTurn();
                exchange.Continue(output);
            }
        }

        exchange.EndInput(output);
        return Encoding.ASCII.GetString(output.WrittenSpan);
    }
}
