#!/usr/bin/env python3
"""The load test to run before moving tenants: how each side answers through switchyard and
directly, tenant by tenant. wrk walks the tenants of each side, through switchyard and straight
to that side's backend; the report is a Markdown table and a PNG chart (gnuplot) of latency
percentiles, legacy vs new and switchyard vs direct.

  bench/compare/compare.py                          two in-tree demo backends (2 ms, 1 KiB)
  bench/compare/compare.py --latency-ms 5 --body-bytes 16384
  bench/compare/compare.py --legacy-url http://10.0.1.10:8080 --new-url http://10.1.1.10:8080 \\
      --flags flags.json --path /api/orders

Per-side latency: each run starts two wrk processes at once, one over the legacy tenants and one
over the new tenants (same Lua script, a different tenant list each), with --connections each.
Both sides are loaded together, as in production, and each wrk's latency histogram is exactly
one side's. The direct runs do the same against each side's backend. Runs through switchyard
and direct alternate, round by round, and the report gives medians over the rounds.
"""
import argparse
import json
import shlex
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchkit import machine, packages, processes, tenants, wrk  # noqa: E402
from benchkit.processes import Processes  # noqa: E402
from benchkit.report import markdown_table, median, number  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
DEBIAN_PACKAGES = ["wrk", "gnuplot-nox"]
SIDES = ("legacy", "new")
PATHS = ("switchyard", "direct")
SERIES = [(side, path) for side in SIDES for path in PATHS]


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--legacy-url", help="a real legacy backend, http://host:port")
    parser.add_argument("--new-url", help="a real new backend, http://host:port")
    parser.add_argument("--latency-ms", type=int, default=2,
                        help="demo backends: delay before each answer (2)")
    parser.add_argument("--body-bytes", type=int, default=1024,
                        help="demo backends: answer size (1024)")
    parser.add_argument("--flags", type=Path, help="a flag document whose tenants to walk "
                        "(those with an entry of their own); default: generated, half per side")
    parser.add_argument("--tenants", type=int, default=1000,
                        help="tenants in the generated document (1000)")
    parser.add_argument("--path", default="/api/items", help="request path (/api/items)")
    parser.add_argument("--connections", type=int, default=32, help="per side (32)")
    parser.add_argument("--duration", type=float, default=10, help="seconds per run (10)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds (3)")
    parser.add_argument("--threads", type=int, default=1, help="switchyard's threads (1)")
    parser.add_argument("--access-log", action="store_true",
                        help="switchyard writes its access log (off: measure routing alone)")
    parser.add_argument("--build-dir", type=Path, default=ROOT / "build")
    parser.add_argument("--out", type=Path, default=ROOT / "demo-run" / "compare",
                        help="report.md, latency.png, configs and logs (demo-run/compare)")
    parser.add_argument("--no-install", action="store_true",
                        help="do not apt-get install missing wrk, gnuplot-nox")
    args = parser.parse_args(argv)
    if bool(args.legacy_url) != bool(args.new_url):
        parser.error("give both --legacy-url and --new-url, or neither (demo backends)")
    for url in (args.legacy_url, args.new_url):
        if url and not url.startswith("http://"):
            parser.error(f"{url}: only http:// backends (switchyard's upstreams are http)")
    return args


def start_demo_backends(procs: Processes, args, binary: Path) -> dict[str, str]:
    urls = {}
    for side in SIDES:
        process = procs.start(f"backend-{side}", [
            str(binary), "--name", side, "--listen", "127.0.0.1:0",
            "--latency-ms", str(args.latency_ms), "--body-bytes", str(args.body_bytes)])

        def bound(process=process):
            text = process.log.read_text() if process.log.exists() else ""
            return text.split("listening on ", 1)[1].split()[0] if "listening on " in text \
                else None
        urls[side] = "http://" + processes.wait_until(bound, f"the {side} demo backend", process)
    return urls


def start_switchyard(procs: Processes, args, binary: Path, urls: dict, document: dict) -> str:
    directory = args.out / "switchyard"
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "flags.json").write_text(json.dumps(document) + "\n")
    config = {
        "listen": [{"address": "127.0.0.1:0"}],
        "threads": args.threads,
        "backends": {side: {"urls": [urls[side]]} for side in SIDES},
        "tenant_key": [{"header": "X-Tenant-Id"}],
        "routes": [{"prefix": "/", "policy": "tenant"}],
        "flags": {"file": "flags.json"},
        "state_dir": "state",
        "access_log": {"enabled": args.access_log, "path": "access.log"},
    }
    (directory / "switchyard.json").write_text(json.dumps(config, indent=1) + "\n")
    ready = directory / "ready.json"
    ready.unlink(missing_ok=True)
    process = procs.start("switchyard", [str(binary), "--config",
                                         str(directory / "switchyard.json"), "--ready-file",
                                         str(ready)])
    processes.wait_until(ready.exists, "switchyard's ready file", process, timeout_s=30)
    return "http://" + json.loads(ready.read_text())["listen"][0]


def check_routing(proxy: str, path: str, lists: dict[str, list[str]]) -> None:
    """Demo backends name their side in X-Backend: one request per side through switchyard
    must reach that side, or the figures would be of the wrong thing."""
    for side in SIDES:
        request = urllib.request.Request(proxy + path, headers={"X-Tenant-Id": lists[side][0]})
        with urllib.request.urlopen(request, timeout=5) as answer:
            served_by = answer.headers.get("X-Backend")
        if served_by != side:
            raise RuntimeError(f"tenant {lists[side][0]} should reach {side} through "
                               f"switchyard but {served_by} answered")


def one_run(bases: dict[str, str], args, lists_files: dict[str, Path]) -> dict:
    """Both sides at once, one wrk each; returns {side: WrkResult}."""
    running = {side: wrk.start(bases[side] + args.path, lists_files[side], args.connections,
                               args.duration) for side in SIDES}
    return {side: wrk.finish(running[side], args.duration) for side in SIDES}


def summarize(results: dict) -> dict:
    """Medians over rounds of each series' figures."""
    summary = {}
    for series, runs in results.items():
        summary[series] = {key: median([r.latency_ms[key] for r in runs])
                           for key in wrk.PERCENTILES}
        summary[series]["rps"] = median([r.rps for r in runs])
        summary[series]["errors"] = sum(r.errors for r in runs)
    return summary


def table(summary: dict) -> str:
    header = ["side", "path", "req/s", *[f"{p} ms" for p in wrk.PERCENTILES], "errors"]
    rows = []
    for side, path in SERIES:
        figures = summary[(side, path)]
        rows.append([side, path, number(figures["rps"], 0),
                     *[number(figures[p]) for p in wrk.PERCENTILES], str(figures["errors"])])
    for side in SIDES:
        added = [summary[(side, "switchyard")][p] - summary[(side, "direct")][p]
                 for p in wrk.PERCENTILES]
        rows.append([side, "added by switchyard", "", *[f"{a:+.2f}" for a in added], ""])
    return markdown_table(header, rows, right_from=2)


def chart(summary: dict, out: Path, title: str) -> Path:
    data = out / "latency.dat"
    lines = ["# percentile " + " ".join(f"{s}-{p}" for s, p in SERIES)]
    for key in wrk.PERCENTILES:
        lines.append(f"{key[1:]} " + " ".join(f"{summary[s][key]:.3f}" for s in SERIES))
    data.write_text("\n".join(lines) + "\n")
    png = out / "latency.png"
    styles = {("legacy", "switchyard"): "lc rgb '#1f77b4' dt 1",
              ("legacy", "direct"): "lc rgb '#1f77b4' dt 2",
              ("new", "switchyard"): "lc rgb '#d62728' dt 1",
              ("new", "direct"): "lc rgb '#d62728' dt 2"}
    plots = ", ".join(
        f"'{data}' using {i + 2}:xtic(1) with linespoints lw 2 pt 7 {styles[s]} "
        f"title '{s[0]}, {s[1]}'" for i, s in enumerate(SERIES))
    script = f"""set terminal pngcairo size 900,540 font "sans,10"
set output '{png}'
set title "{title}"
set xlabel "percentile"
set ylabel "latency, ms (log scale)"
set logscale y
set grid ytics mytics
set key top left
plot {plots}
"""
    (out / "latency.gnuplot").write_text(script)
    subprocess.run(["gnuplot"], input=script, text=True, check=True)
    return png


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if not args.no_install:
        packages.ensure(DEBIAN_PACKAGES)
    switchyard_bin = args.build_dir / "app" / "switchyard"
    backend_bin = args.build_dir / "demo" / "switchyard-demo-backend"
    for binary in (switchyard_bin, backend_bin):
        if not binary.exists():
            raise SystemExit(f"compare: no {binary}; build first (scripts/build.sh) or give "
                             f"--build-dir")
    args.out.mkdir(parents=True, exist_ok=True)
    document = (json.loads(args.flags.read_text()) if args.flags
                else tenants.bench_document(args.tenants))
    lists = tenants.tenants_by_side(document)
    lists_files = {side: tenants.write_list(lists[side], args.out / f"{side}.tenants")
                   for side in SIDES}
    started, where = machine.now_utc(), machine.describe(ROOT)
    began = time.monotonic()
    results = {series: [] for series in SERIES}
    with Processes(args.out) as procs:
        demo = not args.legacy_url
        urls = (start_demo_backends(procs, args, backend_bin) if demo
                else {"legacy": args.legacy_url, "new": args.new_url})
        proxy = start_switchyard(procs, args, switchyard_bin, urls, document)
        if demo:
            check_routing(proxy, args.path, lists)
        bases = {"switchyard": {side: proxy for side in SIDES}, "direct": urls}
        for round_index in range(args.rounds):
            order = PATHS if round_index % 2 == 0 else tuple(reversed(PATHS))
            for path in order:
                for side, result in one_run(bases[path], args, lists_files).items():
                    results[(side, path)].append(result)
                    print(f"round {round_index + 1}/{args.rounds} {side:>6} via {path:<10} "
                          f"{result.rps:>9,.0f} req/s  p99 {result.latency_ms['p99']:.2f} ms",
                          file=sys.stderr)
    summary = summarize(results)
    backends = (f"demo backends ({args.latency_ms} ms, {args.body_bytes} B answers)" if demo
                else f"legacy {args.legacy_url}, new {args.new_url}")
    png = chart(summary, args.out, f"Latency percentiles, legacy vs new, through switchyard vs "
                f"direct\\n{backends}, {args.connections} connections per side")
    command = "bench/compare/compare.py " + " ".join(shlex.quote(a) for a in argv)
    report = (f"### Legacy vs new, through switchyard vs direct, {started}\n\n"
              f"Machine: {where}. Backends: {backends}; {len(lists['legacy']):,} legacy and "
              f"{len(lists['new']):,} new tenants, {args.connections} connections per side, "
              f"{args.rounds} rounds of {args.duration:g} s, medians. Command: `{command}` "
              f"({time.monotonic() - began:.0f} s). Chart: {png}\n\n{table(summary)}")
    (args.out / "report.md").write_text(report)
    print(report)
    return 0


if __name__ == "__main__":
    processes.run_main("compare", main)
