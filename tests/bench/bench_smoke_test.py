#!/usr/bin/python3
"""bench/peers and bench/compare in a tiny smoke mode (1 round, 1 s, a few connections), so the
scripts cannot rot: each must exit 0 and write a report whose every target answered without
errors. No figure is judged: speed lives in bench/RESULTS.md, not in a test.

  tests/bench/bench_smoke_test.py --build-dir build
"""
import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUILD_DIR: list[Path] = []
SMOKE_TIMED = ["--rounds", "1", "--duration", "1", "--warmup", "0"]


def run_bench(script: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / script), *args, "--no-install",
                           "--build-dir", str(BUILD_DIR[0])],
                          capture_output=True, text=True, timeout=120)


def table_rows(report: str) -> list[list[str]]:
    """The Markdown table's body rows, as cells."""
    rows = [line.strip("|").split("|") for line in report.splitlines() if line.startswith("|")]
    return [[c.strip() for c in row] for row in rows[2:]]


class PeersArguments(unittest.TestCase):
    """Each timed command keeps its own defaults: argparse shares a parent's actions between
    subcommands, and the swap's once became every command's (run measured 1 s runs)."""

    def parse(self, *argv: str):
        sys.path[:0] = [str(ROOT / "bench" / "peers"), str(ROOT / "bench")]
        try:
            import peers  # noqa: E402
            return peers.parse_args(list(argv))
        finally:
            del sys.path[:2]

    def test_each_timed_command_has_its_own_rounds_and_duration(self):
        for argv, rounds, duration in [(["run"], 5, 10), (["scaling"], 5, 10),
                                       (["swap"], 16, 1), (["run", "--quick"], 3, 5),
                                       (["swap", "--quick"], 4, 1),
                                       (["run", "--rounds", "2", "--duration", "3"], 2, 3)]:
            with self.subTest(argv=argv):
                args = self.parse(*argv)
                self.assertEqual((args.rounds, args.duration), (rounds, duration))


class BenchSmoke(unittest.TestCase):
    def setUp(self):
        self.out = Path(tempfile.mkdtemp(prefix="bench-smoke-"))
        self.addCleanup(shutil.rmtree, self.out, ignore_errors=True)

    def bench(self, script: str, *args: str) -> str:
        done = run_bench(script, *args, "--out", str(self.out))
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        return done.stdout

    def test_peers_run_measures_every_target_without_errors(self):
        report = self.bench("bench/peers/peers.py", "run", *SMOKE_TIMED, "--bodies", "16384",
                            "--connections", "4")
        rows = table_rows(report)
        self.assertEqual([(r[0], r[2]) for r in rows],
                         [("16 KiB", target)
                          for target in ("switchyard", "haproxy", "nginx", "direct")])
        for row in rows:
            with self.subTest(row=row):
                self.assertGreater(float(row[3].replace(",", "")), 0)  # req/s
                self.assertEqual(row[-1], "0")  # errors
                if row[2] == "haproxy":
                    self.assertEqual(row[7], "1.00")  # its own ratio
        self.assertIn("Machine: ", report)
        samples = json.loads((self.out / "run" / "results.json").read_text())
        self.assertEqual(len(samples), 4)

    def test_peers_scaling_runs_one_and_two_threads(self):
        report = self.bench("bench/peers/peers.py", "scaling", *SMOKE_TIMED, "--targets",
                            "switchyard", "--connections", "4")
        self.assertEqual([r[2] for r in table_rows(report)], ["switchyard", "switchyard x2"])

    def test_peers_idle_holds_every_connection_and_reads_rss(self):
        report = self.bench("bench/peers/peers.py", "idle", "--clients", "200", "--targets",
                            "switchyard,haproxy")
        rows = table_rows(report)
        self.assertEqual([(r[0], r[1]) for r in rows], [("switchyard", "200"),
                                                        ("haproxy", "200")])
        for row in rows:
            self.assertGreater(float(row[3]), 0)  # RSS with clients, MiB

    def test_peers_swap_loads_the_big_document_under_load(self):
        report = self.bench("bench/peers/peers.py", "swap", *SMOKE_TIMED, "--swap-tenants",
                            "20000")
        rows = table_rows(report)
        self.assertEqual([r[0] for r in rows], ["without the swap", "with the swap"])
        self.assertRegex(rows[1][1], r"^\d+\.\d{3} / \d+\.\d{3}$")  # swap seconds, measured
        self.assertRegex(rows[1][2], r"^\d+$")  # the watcher's CPU, ms
        low, high = (float(x) for x in rows[1][7].split("–"))  # the rounds' ratios
        self.assertLessEqual(low, float(rows[1][6]))
        self.assertLessEqual(float(rows[1][6]), high)
        self.assertEqual([r[-1] for r in rows], ["0", "0"])

    def test_peers_swap_steady_replaces_one_big_document_with_another(self):
        report = self.bench("bench/peers/peers.py", "swap", *SMOKE_TIMED, "--swap-tenants",
                            "20000", "--steady")
        self.assertIn("swap of 20,000 tenants for 20,001", report)
        rows = table_rows(report)
        self.assertRegex(rows[1][1], r"^\d+\.\d{3} / \d+\.\d{3}$")  # the swap, seen to end
        self.assertEqual([r[-1] for r in rows], ["0", "0"])

    def test_peers_swap_floor_spins_the_cpu_asked_for_beside_the_swap(self):
        report = self.bench("bench/peers/peers.py", "swap", *SMOKE_TIMED, "--swap-tenants",
                            "20000", "--floor", "--floor-cpu-ms", "20", "--floor-share", "0.5")
        rows = table_rows(report)
        self.assertEqual([r[0] for r in rows],
                         ["without the swap", "with the swap",
                          "the floor: 20 ms of CPU spun at 50% of the core"])
        self.assertRegex(rows[2][1], r"^\d+\.\d{3} / \d+\.\d{3}$")  # the spin's seconds
        self.assertGreaterEqual(int(rows[2][2]), 20)  # the spinner's CPU, ms: all it was asked
        self.assertRegex(report, r"The swap's p99 ÷ the floor's, median of rounds: \d+\.\d\d")
        self.assertEqual([r[-1] for r in rows], ["0", "0", "0"])

    def test_compare_reports_both_sides_through_switchyard_and_direct_with_a_chart(self):
        report = self.bench("bench/compare/compare.py", *SMOKE_TIMED[:4], "--connections", "4",
                            "--tenants", "100")
        rows = table_rows(report)
        self.assertEqual([(r[0], r[1]) for r in rows[:4]],
                         [("legacy", "switchyard"), ("legacy", "direct"), ("new", "switchyard"),
                          ("new", "direct")])
        for row in rows[:4]:
            self.assertEqual(row[-1], "0")
        self.assertTrue(all(re.match(r"^[+-]\d", c) for c in rows[4][3:8]), rows[4])
        png = (self.out / "latency.png").read_bytes()
        self.assertEqual(png[:8], b"\x89PNG\r\n\x1a\n")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--build-dir", type=Path, required=True)
    args, rest = parser.parse_known_args()
    BUILD_DIR.append(args.build_dir.resolve())
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)
