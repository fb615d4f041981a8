using System.Buffers;
using System.Net.Sockets;
using System.Text;

namespace ReferenceServer;

/// <summary>One client: read into a pooled buffer, send back every complete line in ASCII capitals.</summary>
internal static class LineEcho
{
    private const int BufferSize = 4096;

    public static async Task ServeAsync(Socket client, CancellationToken stopping)
    {
        // Each reply is awaited by its client; without this, Nagle holds back a reply that
        // follows one not yet acknowledged (pipelined requests).
        client.NoDelay = true;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        int filled = 0;
        try
        {
            while (true)
            {
                int received = await client.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, stopping);
                if (received == 0)
                {
                    // The client is done sending: its last line, unterminated, still gets its reply.
                    await ReplyAsync(client, buffer.AsMemory(0, filled), stopping);
                    break;
                }
                filled += received;

                int complete = buffer.AsSpan(0, filled).LastIndexOf((byte)'\n') + 1;
                if (complete == 0 && filled == buffer.Length)
                {
                    // A line longer than the buffer: uppercasing is byte by byte, so its start can go now.
                    complete = filled;
                }
                await ReplyAsync(client, buffer.AsMemory(0, complete), stopping);
                buffer.AsSpan(complete, filled - complete).CopyTo(buffer);
                filled -= complete;
            }
        }
        catch (SocketException)
        {
            // Reset by the client.
        }
        catch (OperationCanceledException)
        {
            // The server is stopping.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            client.Dispose();
        }
    }

    private static async Task ReplyAsync(Socket client, Memory<byte> lines, CancellationToken stopping)
    {
        UppercaseAscii(lines.Span);
        while (!lines.IsEmpty)
        {
            int sent = await client.SendAsync(lines, SocketFlags.None, stopping);
            lines = lines[sent..];
        }
    }

    // Ascii.ToUpperInPlace stops at the first byte that is not ASCII; step over it so such bytes
    // come back unchanged.
    private static void UppercaseAscii(Span<byte> text)
    {
        while (Ascii.ToUpperInPlace(text, out int done) == OperationStatus.InvalidData)
        {
            text = text[(done + 1)..];
        }
    }
}
