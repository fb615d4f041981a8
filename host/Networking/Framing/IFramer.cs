namespace PluggableEcho.Host.Networking.Framing;

/// <summary>Cuts a byte stream into messages. Stateless: what is unfinished stays with the connection.</summary>
internal interface IFramer
{
    /// <summary>Finds the first whole message in <paramref name="input"/>; false if there is none yet.</summary>
    /// <param name="knownIncomplete">How many bytes at the front were already seen to hold no
    /// whole message, so a message that arrives in many pieces is not searched again and again.</param>
    bool TryReadFrame(ReadOnlySpan<byte> input, int knownIncomplete, out Frame frame);
}
