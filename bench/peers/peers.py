#!/usr/bin/env python3
"""switchyard against its peers: the same tenant-routing workload through switchyard, HAProxy
2.6 (a map file, http-reuse always), nginx 1.22 (map + upstream keepalive) and directly against
a backend (the ceiling), all started here on loopback from Debian's packages.

  bench/peers/peers.py run [--quick]     req/s, p50/p99, proxy CPU per request, ratios to HAProxy
  bench/peers/peers.py scaling           the same with 1 and 2 proxy threads
  bench/peers/peers.py idle              RSS with 10,000 idle keep-alive client connections
  bench/peers/peers.py swap              switchyard: a 1,000,000-tenant flag file swapped in under load
                                         (runs of 1 s, the swap 0.1 s in: p99 while it happens;
                                         --floor: beside it, the same CPU spun at the same pace)

10,000 tenants, half on each side; backends are nginx `return 200` (64 B and 16 KiB); one worker
thread each; no access logs. wrk and both backends run on --load-cpus, the proxy alone on
--proxy-cpus. Tables go to stdout and DIR/*.md (raw figures in DIR/*.json); --append-results
adds them, with the date and machine, to bench/RESULTS.md.
"""
import argparse
import json
import shlex
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchkit import machine, packages, processes, tenants  # noqa: E402
from benchkit.processes import Processes  # noqa: E402
import idle  # noqa: E402
import measure  # noqa: E402
import swap  # noqa: E402
from targets import PROXY_KINDS, Stack  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
DEBIAN_PACKAGES = ["wrk", "haproxy", "nginx-light"]


def cpu_set(text: str) -> set[int]:
    cpus = {int(c) for c in text.split(",") if c != ""}
    if not cpus:
        raise argparse.ArgumentTypeError("give CPU numbers, e.g. 0 or 0,1")
    return cpus


def int_list(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x]


# (rounds, seconds a run) by default and with --quick. The swap's runs last about as long as the
# swap itself, so that their p99 is the p99 while it happens (in 10 s runs a swap of 0.8 s would
# be diluted into the rest); the rounds of one run range from x0.2 to x3.8 on a shared 2-core
# host: 16 of them for a median worth reading.
TIMED_DEFAULTS = {"run": ((5, 10), (3, 5)), "scaling": ((5, 10), (3, 5)),
                  "swap": ((16, 1), (4, 1))}


def parse_args(argv: list[str]) -> argparse.Namespace:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--build-dir", type=Path, default=ROOT / "build",
                        help="where the switchyard binary is built (build)")
    common.add_argument("--out", type=Path, default=ROOT / "demo-run" / "peers",
                        help="configs, logs and reports (demo-run/peers)")
    common.add_argument("--tenants", type=int, default=10000, help="tenants in the flag "
                        "document, half on each side (10000)")
    common.add_argument("--load-cpus", type=cpu_set, default={0},
                        help="CPUs for wrk and the backends (0)")
    common.add_argument("--proxy-cpus", type=cpu_set, default={1},
                        help="CPUs for the proxy under test (1)")
    common.add_argument("--append-results", action="store_true",
                        help="append the table, date and machine to bench/RESULTS.md")
    common.add_argument("--no-install", action="store_true",
                        help="do not apt-get install missing wrk, haproxy, nginx-light")

    timed = argparse.ArgumentParser(add_help=False)
    # No defaults here: the parents' actions are shared by every subcommand, so a subcommand's
    # set_defaults() would change them for all. Each command's own are filled in below.
    timed.add_argument("--rounds", type=int, help="rounds (5; swap: 16)")
    timed.add_argument("--duration", type=float, help="seconds per wrk run (10; swap: 1)")
    timed.add_argument("--quick", action="store_true",
                       help="3 rounds of 5 s (swap: 4 of 1 s)")
    timed.add_argument("--warmup", type=float, default=1,
                       help="unmeasured seconds per target and cell first (1)")

    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", parents=[common, timed], help="the main comparison")
    run.add_argument("--bodies", type=int_list, default=[64, 16384],
                     help="response sizes, bytes (64,16384)")
    run.add_argument("--connections", type=int_list, default=[64, 256],
                     help="wrk connections (64,256)")
    run.add_argument("--targets", default="switchyard,haproxy,nginx,direct",
                     help="which to measure (switchyard,haproxy,nginx,direct)")
    run.add_argument("--threads", type=int, default=1, help="proxy worker threads (1)")

    scaling = commands.add_parser("scaling", parents=[common, timed],
                                  help="1 vs 2 proxy threads")
    scaling.add_argument("--bodies", type=int_list, default=[64])
    scaling.add_argument("--connections", type=int_list, default=[256])
    scaling.add_argument("--targets", default="switchyard,haproxy,nginx")
    scaling.add_argument("--two-thread-cpus", type=cpu_set, default={0, 1},
                         help="CPUs of the 2-thread proxies (0,1: both cores)")

    idle_cmd = commands.add_parser("idle", parents=[common], help="RSS with idle connections")
    idle_cmd.add_argument("--clients", type=int, default=10000,
                          help="idle keep-alive connections per proxy (10000)")
    idle_cmd.add_argument("--targets", default="switchyard,haproxy,nginx")

    swap_cmd = commands.add_parser("swap", parents=[common, timed],
                                   help="a big flag document swapped in under load")
    swap_cmd.add_argument("--swap-tenants", type=int, default=1000000,
                          help="tenants in the document swapped in (1000000)")
    swap_cmd.add_argument("--connections", type=int, default=64)
    swap_cmd.add_argument("--body", type=int, default=64)
    swap_cmd.add_argument("--floor", action="store_true",
                          help="a third run each round: the swaps' CPU spun at the watcher's "
                               "pace with no memory traffic (bench/paced_spin), the p99 any "
                               "reload of that CPU would cost")
    swap_cmd.add_argument("--floor-cpu-ms", type=float,
                          help="with --floor: spin this much CPU instead of the swaps' median")
    swap_cmd.add_argument("--floor-share", type=float,
                          help="with --floor: this share of the core instead of the watcher's "
                               "(what a cheaper reload, paced more gently, would cost)")
    swap_cmd.add_argument("--steady", action="store_true",
                          help="serve a big document from the start and swap it for another "
                               "(a big deployment's reload on every change), not small to big")
    args = parser.parse_args(argv)
    if args.command == "swap" and not args.floor and (args.floor_cpu_ms or args.floor_share):
        parser.error("--floor-cpu-ms and --floor-share only go with --floor")
    if args.command == "swap" and args.floor_share is not None and not 0 < args.floor_share <= 1:
        parser.error("--floor-share is a share of one core: more than 0, at most 1")
    if args.command in TIMED_DEFAULTS:
        full, quick = TIMED_DEFAULTS[args.command]
        rounds, duration = quick if args.quick else full
        if args.quick or args.rounds is None:
            args.rounds = rounds
        if args.quick or args.duration is None:
            args.duration = duration
    return args


def prepare(args: argparse.Namespace) -> tuple[Path, Path, dict, Path]:
    if not args.no_install:
        packages.ensure(DEBIAN_PACKAGES)
    switchyard_bin = args.build_dir / "app" / "switchyard"
    if not switchyard_bin.exists():
        raise SystemExit(f"peers: no switchyard binary at {switchyard_bin}; build it first "
                         f"(scripts/build.sh) or give --build-dir")
    spinner = swap.spinner_path(args)
    if getattr(args, "floor", False) and not spinner.exists():
        raise SystemExit(f"peers: --floor needs {spinner}; build it first (scripts/build.sh)")
    run_dir = args.out / args.command
    run_dir.mkdir(parents=True, exist_ok=True)
    document = tenants.bench_document(args.tenants)
    sides = tenants.tenants_by_side(document)
    tenants_file = tenants.write_list(sides["legacy"] + sides["new"], run_dir / "all.tenants")
    return switchyard_bin, run_dir, document, tenants_file


def cells_of(args: argparse.Namespace) -> list[measure.Cell]:
    return [measure.Cell(b, c) for b in args.bodies for c in args.connections]


def command_run(args, procs: Processes, stack: Stack, tenants_file: Path) -> tuple[str, list]:
    wanted = [t.strip() for t in args.targets.split(",") if t.strip()]
    targets = []
    for name in wanted:
        if name == "direct":
            targets.append(stack.direct)
        else:
            targets.append(stack.start_proxy(name, args.threads, args.proxy_cpus))
    cells = cells_of(args)
    measure.warm_up(targets, cells, tenants_file, args.load_cpus, args.warmup)
    samples = measure.measure(targets, cells, args.rounds, args.duration, tenants_file,
                              args.load_cpus, progress=lambda line: print(line, file=sys.stderr))
    base = next((t.name for t in targets if t.kind == "haproxy"), targets[0].name)
    text = measure.table(samples, cells, [t.name for t in targets], base)
    return text, measure.as_json(samples)


def command_scaling(args, procs: Processes, stack: Stack, tenants_file: Path):
    targets = []
    for name in [t.strip() for t in args.targets.split(",") if t.strip()]:
        targets.append(stack.start_proxy(name, 1, args.proxy_cpus))
        targets.append(stack.start_proxy(name, 2, args.two_thread_cpus))
    cells = cells_of(args)
    measure.warm_up(targets, cells, tenants_file, args.load_cpus, args.warmup)
    samples = measure.measure(targets, cells, args.rounds, args.duration, tenants_file,
                              args.load_cpus, progress=lambda line: print(line, file=sys.stderr))
    text = ""
    for kind in {t.kind: None for t in targets}:
        mine = [t.name for t in targets if t.kind == kind]
        text += measure.table([s for s in samples if s.target in mine], cells, mine, mine[0])
        text += "\n"
    return text, measure.as_json(samples)


def command_idle(args, procs: Processes, stack: Stack, tenants_file: Path):
    rows = []
    for name in [t.strip() for t in args.targets.split(",") if t.strip()]:
        target = stack.start_proxy(name, 1, args.proxy_cpus)
        rows.append(idle.measure(target, args.clients, tenants_file))
        procs.stop(target.process)  # one at a time: the clients' ports are not shared
        print(f"{name}: {rows[-1]}", file=sys.stderr)
    return idle.table(rows), rows


def command_swap(args, procs: Processes, stack: Stack, tenants_file: Path):
    target = stack.start_proxy("switchyard", 1, args.proxy_cpus, admin=True)
    big = tenants.write_document(tenants.bench_document(args.swap_tenants),
                                 stack.run_dir / "flags-big.json")
    small = tenants.write_document(stack.document, stack.run_dir / "flags-small.json")
    other_big = None
    swapped = f"of {args.swap_tenants:,} tenants"
    if args.steady:
        other_big = tenants.write_document(tenants.bench_document(args.swap_tenants + 1),
                                           stack.run_dir / "flags-big-other.json")
        swapped = f"of {args.swap_tenants:,} tenants for {args.swap_tenants + 1:,}"
    rows = swap.measure(target, small, big, args, tenants_file, other_big)
    return swap.table(rows, swapped, swap.floor_label(args)), rows


COMMANDS = {"run": command_run, "scaling": command_scaling, "idle": command_idle,
            "swap": command_swap}
TITLES = {
    "run": "switchyard, HAProxy 2.6, nginx 1.22 and direct: tenant routing",
    "scaling": "1 vs 2 proxy threads",
    "idle": "memory with idle keep-alive client connections",
    "swap": "a large flag document swapped in under load",
}


def append_results(section: str) -> None:
    results = ROOT / "bench" / "RESULTS.md"
    with open(results, "a") as out:
        out.write("\n" + section)
    print(f"appended to {results}", file=sys.stderr)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    switchyard_bin, run_dir, document, tenants_file = prepare(args)
    started = machine.now_utc()
    where = machine.describe(ROOT)
    began = time.monotonic()
    with Processes(run_dir) as procs:
        processes.raise_file_limit(idle.CLIENT_FILE_LIMIT)  # wrk and the idle clients
        stack = Stack(procs, run_dir, switchyard_bin, document, args.load_cpus)
        stack.start_backends()
        text, raw = COMMANDS[args.command](args, procs, stack, tenants_file)
    command = "bench/peers/peers.py " + " ".join(shlex.quote(a) for a in argv)
    section = (f"### {TITLES[args.command]}, {started}\n\n"
               f"Machine: {where}. Command: `{command}` ({time.monotonic() - began:.0f} s).\n\n"
               f"{text}")
    (run_dir / "report.md").write_text(section)
    (run_dir / "results.json").write_text(json.dumps(raw, indent=1) + "\n")
    print(section)
    if args.append_results:
        append_results(section)
    return 0


if __name__ == "__main__":
    processes.run_main("peers", main)
