"""Runs wrk with tenants.lua and reads the figures its done() prints."""
import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

SCRIPT = Path(__file__).with_name("tenants.lua")
PERCENTILES = ("p50", "p75", "p90", "p99", "p99.9")


@dataclass
class WrkResult:
    requests: int
    duration_s: float
    errors: int  # socket errors, timeouts and answers >= 400
    latency_ms: dict  # "mean", "max" and PERCENTILES

    @property
    def rps(self) -> float:
        return self.requests / self.duration_s if self.duration_s else 0.0


def command(url: str, tenants_file: Path, connections: int, duration_s: float,
            threads: int = 1) -> list[str]:
    return ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration_s:g}s", "--timeout", "2s",
            "-s", str(SCRIPT), url, "--", str(tenants_file)]


def start(url: str, tenants_file: Path, connections: int, duration_s: float,
          cpus: Optional[set[int]] = None, threads: int = 1) -> subprocess.Popen:
    """Starts wrk in the background (pinned to `cpus`); read it with finish()."""
    return subprocess.Popen(command(url, tenants_file, connections, duration_s, threads),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            stdin=subprocess.DEVNULL,
                            preexec_fn=(lambda: os.sched_setaffinity(0, cpus)) if cpus else None)


def finish(wrk: subprocess.Popen, duration_s: float) -> WrkResult:
    try:
        output, _ = wrk.communicate(timeout=duration_s + 30)
    except subprocess.TimeoutExpired:
        wrk.kill()
        output, _ = wrk.communicate()
        raise RuntimeError(f"wrk did not finish within {duration_s + 30:g} s:\n{output}")
    line = next((l for l in output.splitlines() if l.startswith("WRK_JSON ")), None)
    if wrk.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed (exit {wrk.returncode}):\n{output}")
    data = json.loads(line[len("WRK_JSON "):])
    latency = {k: v / 1000.0 for k, v in data["latency_us"].items()}
    return WrkResult(requests=data["requests"], duration_s=data["duration_us"] / 1e6,
                     errors=sum(data["errors"].values()), latency_ms=latency)


def run(url: str, tenants_file: Path, connections: int, duration_s: float,
        cpus: Optional[set[int]] = None, threads: int = 1) -> WrkResult:
    return finish(start(url, tenants_file, connections, duration_s, cpus, threads), duration_s)
