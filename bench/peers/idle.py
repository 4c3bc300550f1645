"""RSS of a proxy holding many idle keep-alive client connections: each connection sends one
request (so the proxy has been through a whole exchange on it), reads the answer, then stays
open and silent while the proxy's resident memory is read from /proc."""
import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchkit import processes  # noqa: E402
from benchkit.report import markdown_table, number  # noqa: E402
from targets import Target  # noqa: E402

CLIENT_FILE_LIMIT = 65536
OPENING_AT_ONCE = 256
SETTLE_S = 1.0


async def _open_one(port: int, tenant: str, gate: asyncio.Semaphore):
    async with gate:
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection("127.0.0.1", port), timeout=10)
        writer.write(f"GET /64 HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Tenant-Id: {tenant}\r\n\r\n"
                     .encode())
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout=10)
        length = 0
        for line in head.decode("latin-1").split("\r\n"):
            if line.lower().startswith("content-length:"):
                length = int(line.split(":", 1)[1])
        await asyncio.wait_for(reader.readexactly(length), timeout=10)
        if not head.startswith(b"HTTP/1.1 200"):
            raise RuntimeError(f"expected 200, got {head.splitlines()[0]!r}")
        return reader, writer


async def _hold(target: Target, clients: int, tenants: list[str]) -> dict:
    before = processes.rss_kib(target.process.pid)
    gate = asyncio.Semaphore(OPENING_AT_ONCE)
    connections = await asyncio.gather(*(_open_one(target.port, tenants[i % len(tenants)], gate)
                                     for i in range(clients)))
    await asyncio.sleep(SETTLE_S)
    during = processes.rss_kib(target.process.pid)
    still_open = sum(1 for reader, _ in connections if not reader.at_eof())
    for _, writer in connections:
        writer.close()
    return {"target": target.name, "clients": clients, "open_at_reading": still_open,
            "rss_before_kib": before, "rss_idle_kib": during}


def measure(target: Target, clients: int, tenants_file: Path) -> dict:
    limit = processes.raise_file_limit(clients + 1024)
    if limit < clients + 64:
        raise RuntimeError(f"the open-file limit is {limit}: too low for {clients} clients "
                           f"(run as root, or raise the hard limit)")
    tenants = [t for t in tenants_file.read_text().split() if t]
    started = time.monotonic()
    row = asyncio.run(_hold(target, clients, tenants))
    row["seconds"] = round(time.monotonic() - started, 1)
    if row["open_at_reading"] != clients:
        raise RuntimeError(f"{target.name} closed {clients - row['open_at_reading']} of "
                           f"{clients} idle connections before RSS was read")
    return row


def table(rows: list[dict]) -> str:
    header = ["target", "idle clients", "RSS before, MiB", "RSS with clients, MiB",
              "KiB per connection"]
    body = []
    for row in rows:
        grown = row["rss_idle_kib"] - row["rss_before_kib"]
        body.append([row["target"], f"{row['clients']:,}", number(row["rss_before_kib"] / 1024, 1),
                     number(row["rss_idle_kib"] / 1024, 1), number(grown / row["clients"], 2)])
    return markdown_table(header, body)
