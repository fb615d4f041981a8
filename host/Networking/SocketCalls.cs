using System.Net.Sockets;
using System.Runtime.InteropServices;
using static PluggableEcho.Host.Networking.LinuxNative;

namespace PluggableEcho.Host.Networking;

/// <summary>
/// A connection's receive and send, one system call each. On Linux they go to libc directly:
/// <see cref="Socket.Send(ReadOnlySpan{byte}, SocketFlags, out SocketError)"/> on a non-blocking
/// socket sends again after a short send, only to be refused (EAGAIN), and both calls take a
/// reference on the handle each time. Elsewhere the socket's own calls serve.
/// </summary>
internal static unsafe class SocketCalls
{
    private static readonly bool Direct = OperatingSystem.IsLinux();

    /// <param name="handle">The socket's descriptor, which its owner keeps open meanwhile.</param>
    /// <returns>The bytes received, 0 at the end of input; 0 with an error but for Success.</returns>
    public static int Receive(Socket socket, int handle, Span<byte> buffer, out SocketError error)
    {
        if (!Direct)
        {
            return socket.Receive(buffer, SocketFlags.None, out error);
        }

        fixed (byte* bytes = buffer)
        {
            nint received;
            do
            {
                received = recv(handle, bytes, buffer.Length, 0);
            }
            while (received < 0 && Marshal.GetLastPInvokeError() == EINTR);

            return Result(received, out error);
        }
    }

    /// <inheritdoc cref="Receive"/>
    /// <returns>The bytes the kernel took: fewer than given when it had no room for more.</returns>
    public static int Send(Socket socket, int handle, ReadOnlySpan<byte> buffer, out SocketError error)
    {
        if (!Direct)
        {
            return socket.Send(buffer, SocketFlags.None, out error);
        }

        fixed (byte* bytes = buffer)
        {
            nint sent;
            do
            {
                sent = send(handle, bytes, buffer.Length, MSG_NOSIGNAL);
            }
            while (sent < 0 && Marshal.GetLastPInvokeError() == EINTR);

            return Result(sent, out error);
        }
    }

    private static int Result(nint transferred, out SocketError error)
    {
        if (transferred >= 0)
        {
            error = SocketError.Success;
            return (int)transferred;
        }

        error = ErrorOf(Marshal.GetLastPInvokeError());
        return 0;
    }

    /// <summary>Linux's errno as the socket's own calls would report it.</summary>
    private static SocketError ErrorOf(int errno) => errno switch
    {
        EAGAIN => SocketError.WouldBlock,
        ECONNRESET => SocketError.ConnectionReset,
        EPIPE => SocketError.Shutdown,
        ECONNABORTED => SocketError.ConnectionAborted,
        ETIMEDOUT => SocketError.TimedOut,
        ENOTCONN => SocketError.NotConnected,
        EHOSTUNREACH => SocketError.HostUnreachable,
        ENETUNREACH => SocketError.NetworkUnreachable,
        ENETDOWN => SocketError.NetworkDown,
        ENOBUFS or ENOMEM => SocketError.NoBufferSpaceAvailable,
        _ => SocketError.SocketError,
    };
}
