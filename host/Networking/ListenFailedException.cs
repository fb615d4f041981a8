using System.Net;
using System.Net.Sockets;

namespace PluggableEcho.Host.Networking;

/// <summary>A listener's address cannot be bound (taken, say): which listener, and why.</summary>
internal sealed class ListenFailedException(string listener, IPEndPoint address, SocketException cause)
    : Exception($"{listener}: cannot listen on {address}: {cause.Message}", cause)
{
    /// <summary>Its name: <c>listener 0</c>.</summary>
    public string Listener { get; } = listener;

    public IPEndPoint Address { get; } = address;

    /// <summary>The system's words: <c>Address already in use</c>.</summary>
    public string ReasonText => cause.Message;
}
