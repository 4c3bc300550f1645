#!/usr/bin/env bash
# wrk through switchyard and directly against one backend, with the same load, so the proxy's
# cost shows as the difference. Starts its own stack (scripts/demo.sh on OS-picked ports, with
# bench/wrk/flags-10k.py's 10,000 tenants) and stops it at the end. Bounded by the duration.
#
#   bench/wrk/run.sh [--no-build]
# Environment (defaults in brackets): WRK_DURATION [10s]  WRK_CONNECTIONS [64]  WRK_THREADS [1]
#   SWITCHYARD_DEMO_THREADS [1] (switchyard's)  SWITCHYARD_DEMO_ACCESS_LOG [true]
#   SWITCHYARD_BENCH_DIR [demo-run/bench]  SWITCHYARD_BUILD_DIR [build]
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

build=1
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

duration=${WRK_DURATION:-10s}
connections=${WRK_CONNECTIONS:-64}
wrk_threads=${WRK_THREADS:-1}
run_dir=${SWITCHYARD_BENCH_DIR:-$root/demo-run/bench}
command -v wrk >/dev/null || { echo "run.sh: wrk is not installed (scripts/install-deps.sh)" >&2; exit 1; }
((build)) && scripts/build.sh

mkdir -p "$run_dir"
rm -f "$run_dir/ready.json" "$run_dir/legacy.log"
bench/wrk/flags-10k.py --output "$run_dir/flags-10k.json"

SWITCHYARD_DEMO_DIR=$run_dir SWITCHYARD_DEMO_FLAGS=$run_dir/flags-10k.json \
  SWITCHYARD_DEMO_LEGACY_PORT=0 SWITCHYARD_DEMO_NEW_PORT=0 SWITCHYARD_DEMO_PROXY_PORT=0 \
  scripts/demo.sh --no-install --no-build >"$run_dir/stack.log" 2>&1 &
stack=$!
trap 'kill "$stack" 2>/dev/null || true; wait "$stack" 2>/dev/null || true' EXIT

# Polls (bounded) for an address in a file the stack writes.
address_in() {
  for _ in $(seq 150); do
    if grep -m1 -o '127\.0\.0\.1:[0-9]*' "$1" 2>/dev/null; then return 0; fi
    kill -0 "$stack" 2>/dev/null || break
    sleep 0.1
  done
  echo "run.sh: the stack did not start; see $run_dir/stack.log:" >&2
  cat "$run_dir/stack.log" >&2
  return 1
}
proxy=$(address_in "$run_dir/ready.json")
backend=$(address_in "$run_dir/legacy.log")

run_wrk() {
  wrk -t"$wrk_threads" -c"$connections" -d"$duration" --timeout 2s --latency \
    -s bench/wrk/tenants.lua "http://$1/api/items"
}

echo "== machine: $(nproc) cores, $(uname -sr); wrk -t$wrk_threads -c$connections -d$duration"
echo
echo "== directly against the legacy backend ($backend)"
direct=$(run_wrk "$backend")
echo "$direct"
echo
echo "== through switchyard ($proxy), 10,000 tenants, half on each side"
proxied=$(run_wrk "$proxy")
echo "$proxied"
echo
rps() { awk '/Requests\/sec/ {print $2}' <<<"$1"; }
p99() { awk '$1 == "99%" {print $2}' <<<"$1"; }
printf '== summary: direct %s req/s (p99 %s), through switchyard %s req/s (p99 %s)\n' \
  "$(rps "$direct")" "$(p99 "$direct")" "$(rps "$proxied")" "$(p99 "$proxied")"
