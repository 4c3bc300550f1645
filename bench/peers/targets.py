"""The peers' stack on loopback: two nginx backends (`return 200`, 64 B and 16 KiB), and the
proxies in front of them — switchyard, HAProxy 2.6 and nginx 1.22, each routing 10,000
tenants by X-Tenant-Id — each with its config written here. Nothing logs per request."""
import json
import shutil
import sys
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchkit import processes  # noqa: E402
from benchkit.processes import Process, Processes  # noqa: E402
from benchkit.tenants import SIDE_OF_SAFE_REQUEST  # noqa: E402

BODY_SIZES = (64, 16384)
# Enough for 10,000 idle clients plus the upstream connections, with room to spare.
MAX_CONNECTIONS = 30000
FILE_LIMIT = 65536
PROXY_KINDS = ("switchyard", "haproxy", "nginx")


@dataclass
class Target:
    name: str  # "switchyard", "haproxy", "nginx", "direct"; "haproxy x2" with 2 threads
    kind: str
    threads: int
    port: int
    process: Optional[Process]  # None for direct: its CPU is the backend's, not a proxy's
    admin: str = ""  # switchyard's admin address, when it has one
    flags_file: Optional[Path] = None  # switchyard's flag document

    def url(self, body_bytes: int) -> str:
        return f"http://127.0.0.1:{self.port}/{body_bytes}"


def _nginx_prelude(run_dir: Path, name: str, workers: int) -> str:
    temp = run_dir / f"{name}-temp"
    temp.mkdir(exist_ok=True)
    temps = "".join(f"{kind}_temp_path {temp}/{kind};\n  "
                    for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return f"""daemon off;
master_process on;
worker_processes {workers};
worker_rlimit_nofile {FILE_LIMIT};
pid {run_dir}/{name}.pid;
error_log {run_dir}/{name}.error.log warn;
events {{ worker_connections {MAX_CONNECTIONS}; }}
http {{
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 120s;
  {temps}"""


def _nginx_argv(run_dir: Path, name: str, config: str) -> list[str]:
    path = run_dir / f"{name}.conf"
    path.write_text(config)
    return ["nginx", "-e", str(run_dir / f"{name}.error.log"), "-p", str(run_dir), "-c",
            str(path)]


def backend_config(run_dir: Path, name: str, port: int) -> str:
    """A backend that answers `GET /64` with 64 bytes and `GET /16384` with 16 KiB. nginx
    refuses a token over 4 KiB in its config, so the 16 KiB body is 8 pieces of 2 KiB."""
    pieces = "".join(f'map "" $piece{i} {{ default "{"x" * 2048}"; }}\n' for i in range(8))
    whole = "".join(f"$piece{i}" for i in range(8))
    return _nginx_prelude(run_dir, name, 1) + f"""{pieces}
  server {{
    listen 127.0.0.1:{port} backlog=4096;
    location = /16384 {{ return 200 "{whole}"; }}
    location / {{ return 200 "{"y" * 63}\\n"; }}
  }}
}}
"""


def _tenant_sides(document: dict) -> list[tuple[str, str]]:
    """(tenant, side of its GETs): what the peers' maps hold."""
    return [(tenant, SIDE_OF_SAFE_REQUEST[entry["stage"]])
            for tenant, entry in document["tenants"].items()]


def nginx_proxy_config(run_dir: Path, name: str, threads: int, port: int, backends: dict,
                       document: dict) -> str:
    entries = "".join(f"    {tenant} {side};\n" for tenant, side in _tenant_sides(document))
    upstreams = "".join(f"""  upstream {side} {{
    server 127.0.0.1:{backend_port};
    keepalive 256;
    keepalive_requests 1000000;
  }}
""" for side, backend_port in backends.items())
    return _nginx_prelude(run_dir, name, threads) + f"""map_hash_max_size 65536;
  map_hash_bucket_size 128;
  map $http_x_tenant_id $side {{
    default legacy;
{entries}  }}
{upstreams}  server {{
    listen 127.0.0.1:{port} backlog=4096;
    location / {{
      proxy_pass http://$side;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }}
  }}
}}
"""


def haproxy_config(run_dir: Path, threads: int, port: int, backends: dict, document: dict) -> str:
    tenant_map = run_dir / "haproxy-tenants.map"
    tenant_map.write_text("".join(f"{t} {side}\n" for t, side in _tenant_sides(document)))
    servers = "".join(f"""backend {side}
  server {side}1 127.0.0.1:{backend_port}
""" for side, backend_port in backends.items())
    return f"""global
  nbthread {threads}
  maxconn {MAX_CONNECTIONS}
  # Where the file limit cannot be raised to 2 x maxconn (a container), run with what there is.
  no strict-limits
defaults
  mode http
  timeout connect 2s
  timeout client 120s
  timeout server 30s
  timeout http-keep-alive 120s
  http-reuse always
frontend tenants
  bind 127.0.0.1:{port} backlog 4096
  maxconn {MAX_CONNECTIONS}
  use_backend %[req.hdr(X-Tenant-Id),map({tenant_map},legacy)]
  default_backend legacy
{servers}"""


def switchyard_config(threads: int, backends: dict, admin: bool) -> dict:
    config = {
        "listen": [{"address": "127.0.0.1:0"}],
        "threads": threads,
        "backends": {side: {"urls": [f"http://127.0.0.1:{p}"]} for side, p in backends.items()},
        "tenant_key": [{"header": "X-Tenant-Id"}],
        "routes": [{"prefix": "/", "policy": "tenant"}],
        "flags": {"file": "flags.json", "poll_interval_ms": 1000},
        "state_dir": "state",
        "timeouts": {"client_idle_ms": 120000},
        "access_log": {"enabled": False},
        "log_level": "info",
    }
    if admin:
        config["admin"] = {"address": "127.0.0.1:0"}
    return config


class Stack:
    """Starts the backends once, then any proxy in front of them; all stop with `processes`."""

    def __init__(self, procs: Processes, run_dir: Path, switchyard_bin: Path, document: dict,
                 load_cpus: set[int]):
        self.procs, self.run_dir, self.switchyard_bin = procs, run_dir, switchyard_bin
        self.document, self.load_cpus = document, load_cpus
        self.backends: dict[str, int] = {}
        self.direct: Optional[Target] = None  # set by start_backends()

    def start_backends(self) -> Target:
        """Both backends, on the load generator's CPUs; returns the direct target (legacy)."""
        for side in ("legacy", "new"):
            port = processes.free_port()
            name = f"backend-{side}"
            process = self.procs.start(
                name, _nginx_argv(self.run_dir, name, backend_config(self.run_dir, name, port)),
                cpus=self.load_cpus, nofile=FILE_LIMIT)
            processes.wait_until(lambda: processes.port_open(port), f"the {side} backend",
                                 process)
            self.backends[side] = port
        self.direct = Target("direct", "direct", 1, self.backends["legacy"], None)
        return self.direct

    def start_proxy(self, kind: str, threads: int, cpus: set[int], admin: bool = False) -> Target:
        name = kind if threads == 1 else f"{kind} x{threads}"
        slug = name.replace(" ", "-")
        if kind == "switchyard":
            return self._start_switchyard(name, slug, threads, cpus, admin)
        port = processes.free_port()
        if kind == "haproxy":
            path = self.run_dir / f"{slug}.cfg"
            path.write_text(haproxy_config(self.run_dir, threads, port, self.backends,
                                           self.document))
            argv = ["haproxy", "-db", "-f", str(path)]
        elif kind == "nginx":
            argv = _nginx_argv(self.run_dir, slug, nginx_proxy_config(
                self.run_dir, slug, threads, port, self.backends, self.document))
        else:
            raise ValueError(f"unknown proxy {kind!r}; known: {', '.join(PROXY_KINDS)}")
        process = self.procs.start(slug, argv, cpus=cpus, nofile=FILE_LIMIT)
        processes.wait_until(lambda: processes.port_open(port), f"{name} to listen", process)
        return Target(name, kind, threads, port, process)

    def _start_switchyard(self, name: str, slug: str, threads: int, cpus: set[int],
                          admin: bool) -> Target:
        directory = self.run_dir / slug
        if directory.exists():
            shutil.rmtree(directory)
        directory.mkdir()
        (directory / "flags.json").write_text(json.dumps(self.document) + "\n")
        config = directory / "switchyard.json"
        config.write_text(json.dumps(switchyard_config(threads, self.backends, admin), indent=1))
        ready = directory / "ready.json"
        process = self.procs.start(slug, [str(self.switchyard_bin), "--config", str(config),
                                          "--ready-file", str(ready)],
                                   cpus=cpus, nofile=FILE_LIMIT)
        processes.wait_until(ready.exists, f"{name}'s ready file", process, timeout_s=30)
        info = json.loads(ready.read_text())
        port = int(info["listen"][0].rsplit(":", 1)[1])
        return Target(name, "switchyard", threads, port, process, info.get("admin", ""),
                      directory / "flags.json")


def readiness(admin: str) -> dict:
    """switchyard's GET /readyz: {"ready", "flags": {"tenants"}, "generation", …}."""
    with urllib.request.urlopen(f"http://{admin}/readyz", timeout=2) as answer:
        return json.loads(answer.read())
