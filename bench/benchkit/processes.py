"""Processes a bench starts: pinned to CPUs, with a raised file limit, logged to a file, read
from /proc (CPU time, RSS) and stopped by their own pid at the end, whatever happened."""
import os
import resource
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Optional

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def raise_file_limit(wanted: int) -> int:
    """Raises this process's open-file limit towards `wanted` (the hard limit too where that
    is allowed: root outside a container); returns the limit in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if wanted > hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, wanted))
            return wanted
        except (ValueError, OSError):
            pass  # not allowed: stay under the hard limit
    soft = min(max(soft, wanted), hard)
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    return soft


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # Field 4 is the parent pid; the command name (field 2) may hold spaces, so split after ')'.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry))
    return found


def process_tree(pid: int) -> list[int]:
    """The pid and its descendants (an nginx master and its worker)."""
    tree, pending = [], [pid]
    while pending:
        current = pending.pop()
        tree.append(current)
        pending.extend(_children(current))
    return tree


def _stat_cpu_ticks(stat_file: Path) -> int:
    """utime + stime (fields 14 and 15) of a /proc stat file; 0 when it is gone."""
    try:
        fields = stat_file.read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the process tree (every thread of each process)."""
    return sum(_stat_cpu_ticks(Path(f"/proc/{member}/stat"))
               for member in process_tree(pid)) / CLOCK_TICKS


def thread_cpu_seconds(pid: int, thread_name: str) -> float:
    """User + system CPU time of the process's threads named `thread_name` (their comm)."""
    total = 0
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            if (task / "comm").read_text().strip() == thread_name:
                total += _stat_cpu_ticks(task / "stat")
        except OSError:
            continue
    return total / CLOCK_TICKS


def rss_kib(pid: int) -> int:
    """Resident memory of the process tree, KiB (VmRSS of each process)."""
    total = 0
    for member in process_tree(pid):
        try:
            for line in Path(f"/proc/{member}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


def free_port() -> int:
    """A loopback port free right now, for servers that cannot report the one they bound."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Process:
    def __init__(self, name: str, popen: subprocess.Popen, log: Path):
        self.name, self.popen, self.log = name, popen, log

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self, timeout_s: float = 10) -> None:
        if not self.alive():
            return
        self.popen.send_signal(signal.SIGTERM)
        try:
            self.popen.wait(timeout_s)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait(5)


class Processes:
    """Starts processes and stops every one of them (by pid, newest first) on exit."""

    def __init__(self, log_dir: Path):
        self.log_dir = log_dir
        self.started: list[Process] = []

    def start(self, name: str, argv: list[str], cpus: Optional[set[int]] = None,
              nofile: int = 0, cwd: Optional[Path] = None) -> Process:
        log = self.log_dir / f"{name}.log"

        def in_child() -> None:
            if cpus:
                os.sched_setaffinity(0, cpus)
            if nofile:
                raise_file_limit(nofile)

        with open(log, "wb") as out:
            popen = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, cwd=cwd,
                                     stdin=subprocess.DEVNULL, preexec_fn=in_child)
        process = Process(name, popen, log)
        self.started.append(process)
        return process

    def stop(self, process: Process) -> None:
        process.stop()
        self.started.remove(process)

    def stop_all(self) -> None:
        for process in reversed(self.started):
            process.stop()
        self.started.clear()

    def __enter__(self) -> "Processes":
        return self

    def __exit__(self, *exc) -> None:
        self.stop_all()


def wait_until(condition: Callable[[], object], what: str, process: Optional[Process] = None,
               timeout_s: float = 15, interval_s: float = 0.05):
    """Polls `condition` until it returns something true (returned); bounded by timeout_s.
    Fails at once, with the log's tail, when `process` has exited."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        if process is not None and not process.alive():
            raise RuntimeError(f"{process.name} exited ({process.popen.returncode}) before "
                               f"{what}; its log ({process.log}):\n{process.log_tail()}")
        time.sleep(interval_s)
    tail = f"; its log ({process.log}):\n{process.log_tail()}" if process else ""
    raise RuntimeError(f"timed out after {timeout_s:g} s waiting for {what}{tail}")


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def stop_on_signals() -> None:
    """SIGTERM behaves like Ctrl-C, so `with Processes(...)` stops what it started."""
    def interrupt(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")
    signal.signal(signal.SIGTERM, interrupt)


def run_main(name: str, main: Callable[[list[str]], int]) -> None:
    """Runs a bench's main: a failure is one line naming the bench, Ctrl-C or SIGTERM stops
    what it started (the `with Processes` blocks unwind) and exits 130."""
    stop_on_signals()
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        print(f"{name}: interrupted; stopped everything it started", file=sys.stderr)
        sys.exit(130)
    except (RuntimeError, ValueError, subprocess.CalledProcessError) as error:
        print(f"{name}: {error}", file=sys.stderr)
        sys.exit(1)
