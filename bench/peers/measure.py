"""Interleaved rounds: every target once per round and cell, in an order rotated each round, so
a burst of noise on the shared machine hits one round of every target rather than all of one
target's; ratios to the base target (HAProxy) are taken within each round, then the median."""
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchkit import processes, wrk  # noqa: E402
from benchkit.report import markdown_table, median, number  # noqa: E402
from targets import Target  # noqa: E402


@dataclass(frozen=True)
class Cell:
    body_bytes: int
    connections: int

    def label(self) -> tuple[str, str]:
        size = "16 KiB" if self.body_bytes == 16384 else f"{self.body_bytes} B"
        return size, str(self.connections)


@dataclass
class Sample:
    round: int
    body_bytes: int
    connections: int
    target: str
    rps: float
    p50_ms: float
    p99_ms: float
    cpu_us_per_request: float  # the proxy's user + system CPU time; nan for direct
    errors: int


def rotated(items: list, by: int) -> list:
    by %= len(items)
    return items[by:] + items[:by]


def run_once(target: Target, cell: Cell, round_index: int, duration_s: float,
             tenants_file: Path, load_cpus: set[int]) -> Sample:
    cpu_before = processes.cpu_seconds(target.process.pid) if target.process else 0.0
    result = wrk.run(target.url(cell.body_bytes), tenants_file, cell.connections, duration_s,
                     cpus=load_cpus)
    cpu_us = float("nan")
    if target.process:
        if not target.process.alive():
            raise RuntimeError(f"{target.name} died during the run; its log:\n"
                               f"{target.process.log_tail()}")
        spent = processes.cpu_seconds(target.process.pid) - cpu_before
        cpu_us = spent * 1e6 / result.requests if result.requests else float("nan")
    return Sample(round_index, cell.body_bytes, cell.connections, target.name, result.rps,
                  result.latency_ms["p50"], result.latency_ms["p99"], cpu_us, result.errors)


def warm_up(targets: list[Target], cells: list[Cell], tenants_file: Path, load_cpus: set[int],
            seconds: float) -> None:
    """Unmeasured runs that fill the upstream pools and the caches."""
    if seconds <= 0:
        return
    for target in targets:
        for cell in cells:
            wrk.run(target.url(cell.body_bytes), tenants_file, cell.connections, seconds,
                    cpus=load_cpus)


def measure(targets: list[Target], cells: list[Cell], rounds: int, duration_s: float,
            tenants_file: Path, load_cpus: set[int], progress=print) -> list[Sample]:
    samples = []
    for round_index in range(rounds):
        for cell in cells:
            order = rotated(targets, round_index)
            for target in order:
                sample = run_once(target, cell, round_index, duration_s, tenants_file, load_cpus)
                samples.append(sample)
                progress(f"round {round_index + 1}/{rounds}  {cell.label()[0]:>6} "
                         f"c{cell.connections:<4} {target.name:<14} {sample.rps:>9,.0f} req/s  "
                         f"p99 {sample.p99_ms:6.2f} ms  "
                         f"cpu {number(sample.cpu_us_per_request, 1):>6} us/req")
    return samples


def _ratio(sample: Sample, base: Sample, field: str) -> float:
    denominator = getattr(base, field)
    return getattr(sample, field) / denominator if denominator else float("nan")


def table(samples: list[Sample], cells: list[Cell], target_names: list[str], base: str) -> str:
    """Medians over rounds; ratios to `base` computed within each round, then their median."""
    header = ["body", "conns", "target", "req/s", "p50 ms", "p99 ms", "proxy CPU µs/req",
              f"req/s ÷ {base}", f"p99 ÷ {base}", f"CPU/req ÷ {base}", "errors"]
    rows = []
    for cell in cells:
        in_cell = [s for s in samples
                   if (s.body_bytes, s.connections) == (cell.body_bytes, cell.connections)]
        bases = {s.round: s for s in in_cell if s.target == base}
        for name in target_names:
            mine = [s for s in in_cell if s.target == name]
            if not mine:
                continue
            ratios = {field: median([_ratio(s, bases[s.round], field) for s in mine
                                     if s.round in bases])
                      for field in ("rps", "p99_ms", "cpu_us_per_request")}
            rows.append([*cell.label(), name,
                         number(median([s.rps for s in mine]), 0),
                         number(median([s.p50_ms for s in mine])),
                         number(median([s.p99_ms for s in mine])),
                         number(median([s.cpu_us_per_request for s in mine]), 1),
                         number(ratios["rps"]), number(ratios["p99_ms"]),
                         number(ratios["cpu_us_per_request"]),
                         str(sum(s.errors for s in mine))])
    return markdown_table(header, rows, right_from=3)


def as_json(samples: list[Sample]) -> list[dict]:
    return [asdict(s) for s in samples]
