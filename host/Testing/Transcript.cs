using PluggableEcho.Host.Buffers;
using PluggableEcho.Host.Networking;
using PluggableEcho.Host.Networking.Framing;
using PluggableEcho.Host.Pipeline;

namespace PluggableEcho.Host.Testing;

/// <summary>
/// One client's whole conversation, in process: the bytes it sends, each chunk as one read, then
/// the end of its input; through the real framer and pipeline; and the bytes a socket client
/// would get back, framing, too-long notices and error policies included.
/// </summary>
/// <remarks>Follows <see cref="Connection"/>'s handling of a read, message by message.</remarks>
internal static class Transcript
{
    public static byte[] Run(IFramer framer, IMessagePipeline pipeline, IEnumerable<byte[]> chunks)
    {
        var unfinished = new ByteBuffer();
        var output = new ByteBuffer();
        foreach (byte[] chunk in chunks)
        {
            unfinished.Write(chunk);
            int used = 0;
            while (true)
            {
                FrameStatus status = framer.TryReadFrame(unfinished.WrittenSpan[used..], 0, Connection.MaxMessageBytes, out Frame frame);
                if (status == FrameStatus.Incomplete)
                {
                    break;
                }

                if (status != FrameStatus.Whole)
                {
                    // The client is told, and the rest of its input is dropped.
                    output.Write(System.Text.Encoding.ASCII.GetBytes($"ERR message longer than {Connection.MaxMessageBytes} bytes"));
                    output.Write(framer.NoticeEnding);
                    return output.WrittenSpan.ToArray();
                }

                ReadOnlySpan<byte> framed = unfinished.WrittenSpan.Slice(used, frame.Length);
                if (!Reply(framer, pipeline, framed.Slice(frame.MessageStart, frame.MessageLength), framed[frame.MessageEnd..], output))
                {
                    return output.WrittenSpan.ToArray();
                }

                used += frame.Length;
            }

            unfinished.Consume(used);
        }

        // The end of the input: the last, unterminated message still gets its reply.
        if (!unfinished.IsEmpty)
        {
            _ = Reply(framer, pipeline, unfinished.WrittenSpan, [], output); // Closing or not, nothing follows.
        }

        return output.WrittenSpan.ToArray();
    }

    /// <returns>False when the pipeline says to close the connection: nothing more is answered.</returns>
    private static bool Reply(IFramer framer, IMessagePipeline pipeline, ReadOnlySpan<byte> message, ReadOnlySpan<byte> ending, ByteBuffer output)
    {
        int start = output.Length;
        output.Reserve(framer.ReplyHeaderLength);
        MessageOutcome outcome = pipeline.Run(message, output);
        if (outcome != MessageOutcome.Reply)
        {
            output.Truncate(start);
            return outcome != MessageOutcome.Close;
        }

        int headerEnd = start + framer.ReplyHeaderLength;
        framer.WriteReplyHeader(output.WrittenRange(start, framer.ReplyHeaderLength), output.Length - headerEnd);
        output.Write(ending);
        return true;
    }
}
