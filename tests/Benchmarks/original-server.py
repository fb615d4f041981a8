"""The original Python polling server PluggableEcho descends from, kept as a baseline.

Its flaws are kept on purpose: it spins at 100% CPU when idle, drops a reply when a send would
block, and accepts one client per turn of its loop. Usage: python3 original-server.py PORT
"""
import socket
import sys

server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", int(sys.argv[1])))
server.listen(5)
server.setblocking(False)
print(f"listening on 127.0.0.1:{server.getsockname()[1]}", flush=True)

connections = []
while True:
    try:
        conn, addr = server.accept()
        conn.setblocking(False)
        connections.append(conn)
    except BlockingIOError:
        closed = []
        replies = []
        for conn in connections:
            try:
                data = conn.recv(1024)
                if not data:
                    closed.append(conn)
                    continue
                replies.append((conn, data))
            except BlockingIOError:
                pass
            except ConnectionResetError:
                closed.append(conn)
        for conn, data in replies:
            try:
                conn.send(data.upper())
            except BlockingIOError:
                continue
        for conn in closed:
            connections.remove(conn)
            conn.close()
