"""One line that says when and where a bench ran, for bench/RESULTS.md."""
import datetime
import os
import platform
import subprocess
from pathlib import Path


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


def _git_commit(repo: Path) -> str:
    probe = subprocess.run(["git", "-C", str(repo), "rev-parse", "--short", "HEAD"],
                           capture_output=True, text=True, check=False)
    return probe.stdout.strip() or "unknown"


def now_utc() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def describe(repo: Path) -> str:
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"{os.cpu_count()} cores ({_cpu_model()}), {platform.system()} "
            f"{platform.release()}, load average {load} at start, switchyard at "
            f"{_git_commit(repo)}")

