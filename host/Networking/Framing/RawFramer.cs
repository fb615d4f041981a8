namespace PluggableEcho.Host.Networking.Framing;

/// <summary>Each buffer received is one message, as the original polling server had it.
/// Length- or order-sensitive transforms then depend on how the network cut the stream.</summary>
internal sealed class RawFramer : IFramer
{
    public static readonly RawFramer Instance = new();

    public bool TryReadFrame(ReadOnlySpan<byte> input, int knownIncomplete, out Frame frame)
    {
        frame = new Frame(input.Length, input.Length);
        return !input.IsEmpty;
    }
}
