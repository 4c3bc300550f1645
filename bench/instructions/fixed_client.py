#!/usr/bin/env python3
"""Sends exactly N keep-alive GET requests to a proxy and checks every answer, for instruction
and syscall counts: the count of requests must be exact, so no load generator's timing decides
how many run. Tenants t00000 … t09999 in X-Tenant-Id, in turn (half pinned to each side by
bench/wrk/flags-10k.py and the HAProxy map that run.sh writes).

    fixed_client.py 127.0.0.1:8080 --requests 20000 [--connections 1]

One connection (the default) is a strict request/answer ping-pong, so the proxy's work per
request does not depend on how fast the machine is. Exits 1 on any unexpected answer.
"""
import argparse
import socket
import sys

TENANTS = 10000


def request_bytes(index: int) -> bytes:
    return (f"GET /api/items HTTP/1.1\r\nHost: bench.example\r\n"
            f"X-Tenant-Id: t{index % TENANTS:05d}\r\nUser-Agent: fixed-client\r\n\r\n").encode()


class Connection:
    def __init__(self, address):
        host, port = address.rsplit(":", 1)
        self.sock = socket.create_connection((host, int(port)), timeout=120)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.pending = b""

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise RuntimeError("the proxy closed the connection")
        self.pending += chunk

    def exchange(self, payload: bytes) -> int:
        self.sock.sendall(payload)
        while b"\r\n\r\n" not in self.pending:
            self._fill()
        head, _, rest = self.pending.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        length = None
        for line in lines[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-length":
                length = int(value.strip())
            if name.strip().lower() == "transfer-encoding":
                raise RuntimeError("chunked answers are not expected from the bench backend")
        if length is None:
            raise RuntimeError("answer without Content-Length: " + lines[0])
        while len(rest) < length:
            self._fill()
            rest = self.pending.partition(b"\r\n\r\n")[2]
        self.pending = rest[length:]
        return status


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("address", help="host:port of the proxy")
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--connections", type=int, default=1)
    args = parser.parse_args()

    connections = [Connection(args.address) for _ in range(args.connections)]
    bad = 0
    for i in range(args.requests):
        if connections[i % len(connections)].exchange(request_bytes(i)) != 200:
            bad += 1
    for c in connections:
        c.sock.close()
    if bad:
        print(f"fixed_client: {bad} of {args.requests} answers were not 200", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
