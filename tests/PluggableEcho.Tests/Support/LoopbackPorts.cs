using System.Net;
using System.Net.Sockets;

namespace PluggableEcho.Tests.Support;

/// <summary>Ports for programs that must be told theirs before they start.</summary>
internal static class LoopbackPorts
{
    /// <summary>A loopback port free a moment ago: the system's pick for port 0, let go again.</summary>
    public static int Free()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
