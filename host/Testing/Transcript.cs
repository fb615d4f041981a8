using Microsoft.Extensions.Logging;
using PluggableEcho.Host.Buffers;
using PluggableEcho.Host.Config;
using PluggableEcho.Host.Networking;
using PluggableEcho.Host.Pipeline;

namespace PluggableEcho.Host.Testing;

/// <summary>
/// One client's whole conversation, in process, through the connection's own socket-free part
/// (<see cref="MessageExchange"/>): the bytes it sends, each chunk as one read, then the end of
/// its input; and every byte a socket client would get back, framing, notices, limits and error
/// policies included.
/// </summary>
internal static class Transcript
{
    public static byte[] Run(ServerSettings settings, IMessagePipeline pipeline, IEnumerable<byte[]> chunks, ILogger logger)
    {
        var exchange = new MessageExchange(new ExchangeContext(Framers.For(settings.Framing), pipeline, settings.Limits, logger));
        var output = new ByteBuffer();
        foreach (byte[] chunk in chunks)
        {
            exchange.Receive(chunk, output);
        }

        exchange.EndInput(output);
        byte[] reply = output.WrittenSpan.ToArray();
        output.Release();
        return reply;
    }
}
