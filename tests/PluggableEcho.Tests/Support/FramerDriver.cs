using PluggableEcho.Host.Networking.Framing;

namespace PluggableEcho.Tests.Support;

/// <summary>Feeds a framer as a connection does: the stream arrives in pieces, the unfinished
/// rest is kept, and the bytes already seen to hold no whole message are not searched again.</summary>
internal static class FramerDriver
{
    /// <summary>Each message found and its ending, as hex: <c>message|ending</c>.</summary>
    public static List<string> Frames(IFramer framer, IEnumerable<byte[]> pieces, int maxMessageBytes = 1000)
    {
        var frames = new List<string>();
        var unfinished = new List<byte>();
        int knownIncomplete = 0;
        foreach (byte[] piece in pieces)
        {
            unfinished.AddRange(piece);
            byte[] input = [.. unfinished];
            int used = 0;
            FrameStatus status;
            while ((status = framer.TryReadFrame(input.AsSpan(used), knownIncomplete, maxMessageBytes, out Frame frame)) == FrameStatus.Whole)
            {
                ReadOnlySpan<byte> framed = input.AsSpan(used, frame.Length);
                frames.Add(Show(framed[frame.MessageStart..frame.MessageEnd], framed[frame.MessageEnd..]));
                used += frame.Length;
                knownIncomplete = 0;
            }

            Assert.That(status, Is.EqualTo(FrameStatus.Incomplete), $"after {frames.Count} frames");
            knownIncomplete = input.Length - used;
            unfinished.RemoveRange(0, used);
        }

        return frames;
    }

    public static string Show(ReadOnlySpan<byte> message, ReadOnlySpan<byte> ending) =>
        $"{Convert.ToHexString(message)}|{Convert.ToHexString(ending)}";

    /// <summary>The stream cut at each of <paramref name="cuts"/>.</summary>
    public static IEnumerable<byte[]> Cut(byte[] stream, params int[] cuts)
    {
        int start = 0;
        foreach (int cut in cuts.Append(stream.Length))
        {
            yield return stream[start..cut];
            start = cut;
        }
    }
}
