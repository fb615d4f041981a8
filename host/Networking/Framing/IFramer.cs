namespace PluggableEcho.Host.Networking.Framing;

/// <summary>Cuts a byte stream into messages. Stateless: what is unfinished stays with the connection.</summary>
internal interface IFramer
{
    /// <summary>Finds the first whole message in <paramref name="input"/>; false if there is none yet.</summary>
    bool TryReadFrame(ReadOnlySpan<byte> input, out Frame frame);
}
