#!/usr/bin/env python3
"""Writes a flag document naming 10,000 tenants (t00000 … t09999), half of them pinned to the
new side (the even ones) and half to legacy, for the wrk benches: every request's tenant is in
the table, and both backends get traffic.

    bench/wrk/flags-10k.py > flags.json
    bench/wrk/flags-10k.py --tenants 100000 --output flags.json
"""
import argparse
import json
import sys


def flag_document(tenants: int) -> dict:
    return {
        "default_stage": "legacy",
        "rollout": {"stage": "new", "percent": 0, "salt": "bench"},
        "tenants": {
            f"t{i:05d}": {"stage": "new" if i % 2 == 0 else "legacy"} for i in range(tenants)
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tenants", type=int, default=10000, help="how many tenants (10000)")
    parser.add_argument("--output", help="file to write (default: standard output)")
    args = parser.parse_args()
    text = json.dumps(flag_document(args.tenants), indent=1) + "\n"
    if args.output:
        with open(args.output, "w", encoding="utf-8") as out:
            out.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
