using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using static PluggableEcho.Host.Networking.LinuxNative;

namespace PluggableEcho.Host.Networking;

/// <summary>
/// Level-triggered epoll. The event array is allocated once; an eventfd registered beside the
/// sockets lets another thread wake the loop without a timeout to poll for it.
/// </summary>
internal sealed unsafe class EpollPoller : IPoller
{
    // struct epoll_event is packed on x86-64 (12 bytes, data at offset 4); elsewhere it is
    // naturally aligned (16 bytes, data at offset 8).
    private static readonly int EventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;
    private static readonly int DataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    private readonly int _epoll;
    private readonly int _wakeHandle;
    private byte* _events;
    private readonly int _capacity;

    public EpollPoller(int capacity = 1024)
    {
        _capacity = capacity;
        _epoll = Check(epoll_create1(EPOLL_CLOEXEC), "epoll_create1");
        _wakeHandle = Check(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK), "eventfd");
        _events = (byte*)NativeMemory.Alloc((nuint)(capacity * EventSize));
        Control(EPOLL_CTL_ADD, _wakeHandle, Readiness.Readable);
    }

    public static bool IsSupported => OperatingSystem.IsLinux();

    public void Add(Socket socket, Readiness interest) => Control(EPOLL_CTL_ADD, (int)socket.Handle, interest);

    public void Change(Socket socket, Readiness interest) => Control(EPOLL_CTL_MOD, (int)socket.Handle, interest);

    public void Remove(Socket socket)
    {
        byte* unused = stackalloc byte[16]; // Kernels before 2.6.9 wanted a non-null event here.
        epoll_ctl(_epoll, EPOLL_CTL_DEL, (int)socket.Handle, unused);
    }

    public int Wait(Span<PollEvent> fired, int timeoutMilliseconds)
    {
        int count = epoll_wait(_epoll, _events, Math.Min(fired.Length, _capacity), timeoutMilliseconds);
        if (count < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            return errno == EINTR ? 0 : throw new Win32Exception(errno, "epoll_wait failed");
        }

        int filled = 0;
        for (int i = 0; i < count; i++)
        {
            byte* e = _events + (i * EventSize);
            uint events = Unsafe.ReadUnaligned<uint>(e);
            int handle = (int)Unsafe.ReadUnaligned<ulong>(e + DataOffset);
            if (handle == _wakeHandle)
            {
                DrainWake();
                continue;
            }

            Readiness readiness = Readiness.None;
            if ((events & (EPOLLIN | EPOLLERR | EPOLLHUP)) != 0)
            {
                readiness |= Readiness.Readable;
            }

            if ((events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) != 0)
            {
                readiness |= Readiness.Writable;
            }

            fired[filled++] = new PollEvent(handle, readiness);
        }

        return filled;
    }

    public void Wake()
    {
        ulong one = 1;
        write(_wakeHandle, &one, sizeof(ulong));
    }

    public void Dispose()
    {
        if (_events is null)
        {
            return;
        }

        close(_wakeHandle);
        close(_epoll);
        NativeMemory.Free(_events);
        _events = null;
    }

    private void DrainWake()
    {
        ulong value;
        read(_wakeHandle, &value, sizeof(ulong));
    }

    private void Control(int operation, int handle, Readiness interest)
    {
        byte* e = stackalloc byte[16];
        uint events = ((interest & Readiness.Readable) != 0 ? EPOLLIN : 0) | ((interest & Readiness.Writable) != 0 ? EPOLLOUT : 0);
        Unsafe.WriteUnaligned(e, events);
        Unsafe.WriteUnaligned(e + DataOffset, (ulong)handle);
        Check(epoll_ctl(_epoll, operation, handle, e), "epoll_ctl");
    }

    private static int Check(int result, string call) =>
        result >= 0 ? result : throw new Win32Exception(Marshal.GetLastPInvokeError(), $"{call} failed");
}
