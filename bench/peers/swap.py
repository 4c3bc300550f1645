"""A large flag document swapped in while wrk drives traffic through switchyard: how long from
the file's rename until the proxy served it, the flag watcher's CPU time for the reload, and
wrk's p99 in runs with the swap against runs without, interleaved. Nothing asks the proxy
anything while wrk runs (a probe every few milliseconds is work on the proxy's core, and on
wrk's, that the runs without the swap would not have): when it served the new document is read
afterwards from the snapshot's age on /metrics. The swap back to the small document happens
between runs, unmeasured, and the next run starts once the watcher is idle again.

With --floor each round has a third run: bench/paced_spin on the proxy's core, spinning as much
CPU as the watcher's reloads used (their median so far) at the watcher's pace and share, with no
memory traffic. Its p99 is what any reload of that CPU costs on a saturated core; the swap's
beyond it is the reload's own doing."""
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchkit import processes, wrk  # noqa: E402
from benchkit.report import markdown_table, median, number  # noqa: E402
from targets import Target, readiness  # noqa: E402

POLL_S = 0.005
IDLE_S = 0.3  # the watcher idle this long is done with a reload
SWAP_AFTER_S = 0.1  # into a run: its connections open, most of it left for the swap
WATCHER_THREAD = "sy-flags"  # the flag watcher's thread name (common/thread_name.hpp)


def _tenant_count(target: Target) -> int:
    try:
        return readiness(target.admin)["flags"]["tenants"]
    except OSError:
        return -1


def _watcher_cpu_s(target: Target) -> float:
    return processes.thread_cpu_seconds(target.process.pid, WATCHER_THREAD)


def _stage(document: Path, flags: Path) -> Path:
    """A copy of `document` beside the flag file, to be renamed over it: 40 MB copied while wrk
    runs would be the bench's CPU, not the swap's."""
    staged = flags.with_name("flags.json.next")
    shutil.copyfile(document, staged)
    return staged


def _wait_until_served(target: Target, tenants: int) -> None:
    processes.wait_until(lambda: _tenant_count(target) == tenants,
                         f"switchyard to load {tenants:,} tenants",
                         target.process, timeout_s=60, interval_s=POLL_S)


def _snapshot_loaded_at(target: Target) -> float:
    """time.monotonic() when the proxy published the flags it serves: now less the snapshot's
    age on /metrics (both CLOCK_MONOTONIC; the age is to the millisecond)."""
    asked = time.monotonic()
    with urllib.request.urlopen(f"http://{target.admin}/metrics", timeout=5) as answer:
        for line in answer.read().decode().splitlines():
            if line.startswith("switchyard_snapshot_age_seconds "):
                return asked - float(line.split()[1])
    raise RuntimeError("no switchyard_snapshot_age_seconds on /metrics")


def _replace_flags(target: Target, staged: Path, tenants: int, flags: Path) -> None:
    """Renames `staged` over the flag file and waits until the proxy serves it (unmeasured)."""
    os.replace(staged, flags)
    _wait_until_served(target, tenants)


def _wait_for_idle_watcher(target: Target) -> None:
    """Until the watcher has used no CPU for a while: done freeing the tables it replaced, so
    that the next run measures none of it."""
    deadline = time.monotonic() + 10
    last = _watcher_cpu_s(target)
    while time.monotonic() < deadline:
        time.sleep(IDLE_S)
        now = _watcher_cpu_s(target)
        if now == last:
            return
        last = now


def spinner_path(args) -> Path:
    """The floor's spinner, built beside switchyard (bench/paced_spin.cpp)."""
    return args.build_dir / "bench" / "paced_spin"


def _start_spinner(args, cpu_ms: float) -> subprocess.Popen:
    """bench/paced_spin on the proxy's cores, started before the run and waiting for its go."""
    spinner = spinner_path(args)
    share = [f"{args.floor_share:g}"] if args.floor_share else []
    return subprocess.Popen([str(spinner), f"{cpu_ms:.1f}"] + share, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True,
                            preexec_fn=lambda: os.sched_setaffinity(0, args.proxy_cpus))


def _spinner_result(spinner: subprocess.Popen) -> tuple[float, float]:
    """Its CPU and wall seconds, once it is done."""
    output, _ = spinner.communicate(timeout=30)
    if spinner.returncode != 0:
        raise RuntimeError(f"paced_spin failed (exit {spinner.returncode}): {output}")
    cpu_s, wall_s = (float(field) for field in output.split())
    return cpu_s, wall_s


def _one_run(target: Target, args, tenants_file: Path, swap_in: Path, tenants: int,
             flags: Path, spin_ms: float = None) -> dict:
    """A run with `swap_in` renamed over the flag file, or with the spinner using `spin_ms`,
    or with neither."""
    url = target.url(args.body)
    staged = _stage(swap_in, flags) if swap_in is not None else None
    spinner = _start_spinner(args, spin_ms) if spin_ms is not None else None
    load = wrk.start(url, tenants_file, args.connections, args.duration, cpus=args.load_cpus)
    swap_s = cpu_s = float("nan")
    if staged is not None or spinner is not None:
        time.sleep(min(args.duration / 4, SWAP_AFTER_S))
    if staged is not None:
        cpu_before = _watcher_cpu_s(target)
        renamed = time.monotonic()
        os.replace(staged, flags)
    elif spinner is not None:
        spinner.stdin.write("go\n")
        spinner.stdin.flush()
    result = wrk.finish(load, args.duration)
    if staged is not None:
        _wait_until_served(target, tenants)
        swap_s = _snapshot_loaded_at(target) - renamed
        _wait_for_idle_watcher(target)  # the reload's CPU, to its last step (clock ticks: ±10 ms)
        cpu_s = _watcher_cpu_s(target) - cpu_before
    elif spinner is not None:
        cpu_s, swap_s = _spinner_result(spinner)
    return {"swap_s": swap_s, "watcher_cpu_ms": cpu_s * 1000, "p99_ms": result.latency_ms["p99"],
            "p99.9_ms": result.latency_ms["p99.9"], "rps": result.rps, "errors": result.errors}


def measure(target: Target, small: Path, big: Path, args, tenants_file: Path,
            other_big: Path = None) -> list[dict]:
    """With `other_big` (--steady), the proxy serves a big document from the start and each
    swap replaces it with the other one (one tenant more): the reload a big deployment makes
    on every change. Otherwise each swap goes from the small document to the big one."""
    # This script renames files while wrk runs: on wrk's cores, so that the proxy's core is the
    # proxy's and the watcher's alone, as in the runs without the swap.
    os.sched_setaffinity(0, args.load_cpus)
    flags = target.flags_file
    small_count = _tenant_count(target)
    big_count = args.swap_tenants
    bigs = [(big, big_count), (other_big, big_count + 1)]
    if other_big is not None:  # served from the start, unmeasured
        _replace_flags(target, _stage(big, flags), big_count, flags)
        _wait_for_idle_watcher(target)
    rows = []
    swaps = 0
    for round_index in range(args.rounds):
        kinds = ["without", "with"] if round_index % 2 == 0 else ["with", "without"]
        if args.floor:  # rotated, the first round's swap first: the floor spins the swaps' CPU
            kinds = ["with", "floor", "without"]
            kinds = kinds[round_index % 3:] + kinds[:round_index % 3]
        for kind in kinds:
            swap_in, count, spin_ms = None, 0, None
            if kind == "with":
                swaps += 1
                swap_in, count = bigs[swaps % 2] if other_big is not None else bigs[0]
            elif kind == "floor":
                spin_ms = args.floor_cpu_ms or median(
                    [r["watcher_cpu_ms"] for r in rows if r["kind"] == "with"])
            row = _one_run(target, args, tenants_file, swap_in, count, flags, spin_ms)
            row.update(round=round_index, kind=kind)
            rows.append(row)
            print(f"round {round_index + 1}/{args.rounds} {kind:>7} swap: "
                  f"p99 {row['p99_ms']:.2f} ms, swap {row['swap_s']:.3f} s, "
                  f"watcher CPU {row['watcher_cpu_ms']:.0f} ms", file=sys.stderr)
            if kind == "with" and other_big is None:  # back to the small one, unmeasured
                _replace_flags(target, _stage(small, flags), small_count, flags)
                _wait_for_idle_watcher(target)  # a run with the swap waited for its own
    return rows


def _round_ratios(rows: list[dict], kind: str, to: str) -> list[float]:
    """p99 of `kind` ÷ p99 of `to`, within each round."""
    ratios = []
    for round_index in sorted({r["round"] for r in rows}):
        runs = {r["kind"]: r for r in rows if r["round"] == round_index}
        ratios.append(runs[kind]["p99_ms"] / runs[to]["p99_ms"])
    return ratios


def floor_label(args) -> str:
    """What the floor's runs spun, as the table names them."""
    cpu = f"{args.floor_cpu_ms:g} ms of CPU" if args.floor_cpu_ms else "the same CPU"
    pace = (f"at {args.floor_share:.0%} of the core" if args.floor_share
            else "at the watcher's pace")
    return f"the floor: {cpu} spun {pace}"


def table(rows: list[dict], swapped: str, floor: str = "") -> str:
    def of(kind, field):
        return [r[field] for r in rows if r["kind"] == kind]
    kinds = [("without", "without the swap"), ("with", "with the swap")]
    if any(r["kind"] == "floor" for r in rows):
        kinds.append(("floor", floor))
    header = ["runs", f"swap {swapped} (floor: spin), s (median / max)",
              "watcher (floor: spinner) CPU ms (median)", "req/s", "p99 ms",
              "p99.9 ms", "p99 ÷ without (median of rounds)", "… its rounds' range",
              "errors"]
    body = []
    for kind, name in kinds:
        swaps = of(kind, "swap_s")
        ratios = _round_ratios(rows, kind, "without") if kind != "without" else []
        body.append([name,
                     f"{number(median(swaps), 3)} / {number(max(swaps), 3)}" if ratios else "—",
                     number(median(of(kind, "watcher_cpu_ms")), 0) if ratios else "—",
                     number(median(of(kind, "rps")), 0), number(median(of(kind, "p99_ms"))),
                     number(median(of(kind, "p99.9_ms"))),
                     number(median(ratios)) if ratios else "—",
                     # The noise, in plain sight: on a shared 2-core host the same build's
                     # rounds differ by more than most changes move the median.
                     f"{number(min(ratios))}–{number(max(ratios))}" if ratios else "—",
                     str(sum(of(kind, "errors")))])
    text = markdown_table(header, body)
    if len(kinds) == 3:
        beyond = _round_ratios(rows, "with", "floor")
        text += (f"\nThe swap's p99 ÷ the floor's, median of rounds: {number(median(beyond))} "
                 f"(rounds {number(min(beyond))}–{number(max(beyond))}).\n")
    return text
