using System.Runtime.InteropServices;

namespace PluggableEcho.Host.Networking;

/// <summary>The few Linux calls the epoll poller needs. Errors come back as -1 and errno.</summary>
internal static unsafe partial class LinuxNative
{
    public const int EINTR = 4;

    public const int EPOLL_CLOEXEC = 0x80000;
    public const int EPOLL_CTL_ADD = 1;
    public const int EPOLL_CTL_DEL = 2;
    public const int EPOLL_CTL_MOD = 3;

    public const uint EPOLLIN = 0x001;
    public const uint EPOLLOUT = 0x004;
    public const uint EPOLLERR = 0x008;
    public const uint EPOLLHUP = 0x010;

    public const int EFD_CLOEXEC = 0x80000;

    // ioctl: bytes in a socket's send queue the peer has not acknowledged yet.
    public const nuint SIOCOUTQ = 0x5411;
    public const int EFD_NONBLOCK = 0x800;

    [LibraryImport("libc", SetLastError = true)]
    public static partial int epoll_create1(int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int epoll_ctl(int epfd, int op, int fd, byte* ev);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int epoll_wait(int epfd, byte* events, int maxevents, int timeout);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int eventfd(uint initval, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint read(int fd, void* buf, nint count);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint write(int fd, void* buf, nint count);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int ioctl(int fd, nuint request, int* value);

    // errno values a socket call may give back (SocketCalls names them as SocketError does).
    public const int EAGAIN = 11;
    public const int ENOMEM = 12;
    public const int EPIPE = 32;
    public const int ENETDOWN = 100;
    public const int ENETUNREACH = 101;
    public const int ECONNABORTED = 103;
    public const int ECONNRESET = 104;
    public const int ENOBUFS = 105;
    public const int ENOTCONN = 107;
    public const int ETIMEDOUT = 110;
    public const int EHOSTUNREACH = 113;
    public const int MSG_NOSIGNAL = 0x4000;

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint recv(int fd, void* buf, nint len, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint send(int fd, void* buf, nint len, int flags);

    public const int RLIMIT_NOFILE = 7;

    /// <summary>struct rlimit: the soft and the hard limit.</summary>
    [LibraryImport("libc", SetLastError = true)]
    public static partial int getrlimit(int resource, ulong* limits);
}
