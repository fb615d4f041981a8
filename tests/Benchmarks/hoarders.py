#!/usr/bin/env python3
"""What hostile clients cost the server, and whether it gives the memory back once they leave.

Usage: tests/Benchmarks/hoarders.py PORT PID [CLIENTS] [lines|unterminated] [SECONDS]

Opens CLIENTS connections to the server on 127.0.0.1:PORT (process PID) that never read: with
`lines` each sends 1000-byte lines until the server stops reading it (its replies at
output_buffer_bytes); with `unterminated` each sends one message that never ends. The clients'
receive buffers are small, so the replies stay in the server rather than in the kernel. Prints
the server's resident memory (VmRSS) before, while they hoard, and 1-15 s after they all reset.
tests/Benchmarks/hoarders.sh starts a Release server and runs this against it.
"""
import re
import socket
import sys
import time


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as status:
        return int(re.search(r"VmRSS:\s+(\d+)", status.read()).group(1)) // 1024


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    port, pid = int(sys.argv[1]), int(sys.argv[2])
    clients = int(sys.argv[3]) if len(sys.argv) > 3 else 500
    mode = sys.argv[4] if len(sys.argv) > 4 else "lines"
    seconds = float(sys.argv[5]) if len(sys.argv) > 5 else 12
    chunk = (b"a" * 999 + b"\n") * 64 if mode == "lines" else b"b" * 65536
    print(f"{clients} clients, {mode}; server RSS before: {rss_mib(pid)} MiB", flush=True)
    sockets = []
    for _ in range(clients):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.connect(("127.0.0.1", port))
        s.setblocking(False)
        sockets.append(s)
    start = time.time()
    while time.time() - start < seconds:
        progress = False
        for s in sockets:
            try:
                s.send(chunk)
                progress = True
            except (BlockingIOError, OSError):
                pass
        if not progress:
            time.sleep(0.05)  # Every client is refused: the server has stopped reading them all.
    print(f"while they hoard: {rss_mib(pid)} MiB", flush=True)
    for s in sockets:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")  # Reset.
        s.close()
    waited = 0
    for after in (1, 3, 5, 10, 15):
        time.sleep(after - waited)
        waited = after
        print(f"{after:2d} s after they left: {rss_mib(pid)} MiB", flush=True)


main()
