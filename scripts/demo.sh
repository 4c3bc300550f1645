#!/usr/bin/env bash
# The switchyard demo: two demo backends (legacy, new) and switchyard in front of them, then the
# curl lines that show tenants routed to each side and a flag edit taking effect live.
#
#   scripts/demo.sh               install deps, build, start everything, print the curls; Ctrl-C stops
#   scripts/demo.sh --check       the same, but run the curls, verify the answers, and stop
#   --no-install / --no-build     skip scripts/install-deps.sh / scripts/build.sh
#
# Environment (defaults in brackets):
#   SWITCHYARD_DEMO_LEGACY_PORT [9001]  SWITCHYARD_DEMO_NEW_PORT [9002]  SWITCHYARD_DEMO_PROXY_PORT [8080]
#     (0: let the OS pick a free port)
#   SWITCHYARD_DEMO_DIR [demo-run]      where the config, flag file, logs and pids go
#   SWITCHYARD_BUILD_DIR [build]        SWITCHYARD_BIN, SWITCHYARD_DEMO_BACKEND_BIN: the binaries
#   SWITCHYARD_DEMO_FLAGS               a flag document to serve instead of the sample (benches)
#   SWITCHYARD_DEMO_THREADS [1]         switchyard's threads; SWITCHYARD_DEMO_ACCESS_LOG [true]
# Idempotent: rewrites demo-run/ each time and stops what a previous run left behind.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

check=0 install=1 build=1
for arg in "$@"; do
  case "$arg" in
    --check) check=1 ;;
    --no-install) install=0 ;;
    --no-build) build=0 ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "demo.sh: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

legacy_port=${SWITCHYARD_DEMO_LEGACY_PORT:-9001}
new_port=${SWITCHYARD_DEMO_NEW_PORT:-9002}
proxy_port=${SWITCHYARD_DEMO_PROXY_PORT:-8080}
run_dir=${SWITCHYARD_DEMO_DIR:-$root/demo-run}
build_dir=${SWITCHYARD_BUILD_DIR:-$root/build}
switchyard_bin=${SWITCHYARD_BIN:-$build_dir/app/switchyard}
backend_bin=${SWITCHYARD_DEMO_BACKEND_BIN:-$build_dir/demo/switchyard-demo-backend}

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { echo "demo.sh: $*" >&2; exit 1; }

((install)) && scripts/install-deps.sh
((build)) && scripts/build.sh
[[ -x $switchyard_bin ]] || die "no switchyard binary at $switchyard_bin (build first: scripts/build.sh)"
[[ -x $backend_bin ]] || die "no demo backend at $backend_bin (build first: scripts/build.sh)"

mkdir -p "$run_dir"
# A previous run killed hard leaves its processes behind: stop those (ours only), by pid.
for pid_file in "$run_dir"/*.pid; do
  [[ -f $pid_file ]] || continue
  pid=$(cat "$pid_file")
  if [[ $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) == *switchyard* ]]; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$pid_file"
done

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in "$legacy_port" "$new_port" "$proxy_port"; do
  if [[ $port != 0 ]] && port_taken "$port"; then
    die "port $port is already in use on 127.0.0.1; free it, or pick others with SWITCHYARD_DEMO_LEGACY_PORT / _NEW_PORT / _PROXY_PORT (0 = any free port)"
  fi
done

pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -f "$run_dir"/*.pid
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Polls (bounded) until `file` has a line matching `pattern`; prints the first match.
wait_for_line() {
  local file=$1 pattern=$2 what=$3
  for _ in $(seq 100); do
    if grep -m1 -o "$pattern" "$file" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "demo.sh: $what did not start; its log ($file):" >&2
  cat "$file" >&2 || true
  return 1
}

# Starts a demo backend; sets bound_port to the port it listens on.
start_backend() {
  local name=$1 port=$2 address
  "$backend_bin" --name "$name" --listen "127.0.0.1:$port" >"$run_dir/$name.log" 2>&1 &
  pids+=($!)
  echo $! >"$run_dir/$name.pid"
  address=$(wait_for_line "$run_dir/$name.log" '127\.0\.0\.1:[0-9]*' "the $name backend")
  bound_port=${address##*:}
}

say "starting the demo backends"
start_backend legacy "$legacy_port"
legacy_port=$bound_port
start_backend new "$new_port"
new_port=$bound_port
echo "legacy on 127.0.0.1:$legacy_port, new on 127.0.0.1:$new_port"

cat >"$run_dir/switchyard.json" <<JSON
{
  "listen": [{"address": "127.0.0.1:$proxy_port"}],
  "threads": ${SWITCHYARD_DEMO_THREADS:-1},
  "backends": {"legacy": {"urls": ["http://127.0.0.1:$legacy_port"]},
               "new":    {"urls": ["http://127.0.0.1:$new_port"]}},
  "tenant_key": [{"header": "X-Tenant-Id"}, {"path_prefix": "/t/{tenant}/", "strip": true}],
  "routes": [{"prefix": "/static/", "policy": "pinned", "side": "new"},
             {"prefix": "/", "policy": "tenant", "no_tenant": "legacy"}],
  "flags": {"file": "flags.json", "poll_interval_ms": 200},
  "state_dir": "state",
  "access_log": {"enabled": ${SWITCHYARD_DEMO_ACCESS_LOG:-true}, "path": "access.log"},
  "log_level": "info"
}
JSON
if [[ -n ${SWITCHYARD_DEMO_FLAGS:-} ]]; then
  cp "$SWITCHYARD_DEMO_FLAGS" "$run_dir/flags.json"
else
  cat >"$run_dir/flags.json" <<JSON
{
  "default_stage": "legacy",
  "rollout": {"stage": "new", "percent": 0, "salt": "wave-1"},
  "tenants": {"acme": {"stage": "new"}}
}
JSON
fi

say "starting switchyard"
rm -f "$run_dir/ready.json"
"$switchyard_bin" --config "$run_dir/switchyard.json" --ready-file "$run_dir/ready.json" \
  >"$run_dir/switchyard.log" 2>&1 &
pids+=($!)
echo $! >"$run_dir/switchyard.pid"
address=$(wait_for_line "$run_dir/ready.json" '127\.0\.0\.1:[0-9]*' switchyard)
proxy_port=${address##*:}
proxy="http://127.0.0.1:$proxy_port"
echo "switchyard on $proxy (config, flags and logs in $run_dir)"

# The flag edit: acme's neighbour globex moves to the new side (atomic rename, as an editor would).
move_globex="python3 -c 'import json, os, sys; p = sys.argv[1]; d = json.load(open(p)); d[\"tenants\"][\"globex\"] = {\"stage\": \"new\"}; open(p + \".tmp\", \"w\").write(json.dumps(d, indent=2)); os.replace(p + \".tmp\", p)' $run_dir/flags.json"

curl_acme="curl -s -H 'X-Tenant-Id: acme' $proxy/orders/1"
curl_globex="curl -s -H 'X-Tenant-Id: globex' $proxy/orders/1"
curl_path="curl -s $proxy/t/acme/invoices?year=2024"
curl_static="curl -s $proxy/static/app.js"

if ((check == 0)); then
  cat <<TEXT

Try these (each answer names the side that served it):
  $curl_acme       # acme is flagged new  -> "side":"new"
  $curl_globex     # globex is not        -> "side":"legacy"
  $curl_path   # tenant from the path, prefix stripped -> new sees /invoices
  $curl_static     # pinned route         -> "side":"new"

Move globex to the new side by editing the flag file (live, no restart):
  $move_globex
then ask again:
  $curl_globex     # -> "side":"new"

Logs: $run_dir/{switchyard,legacy,new}.log, access log $run_dir/access.log
Ctrl-C stops everything.
TEXT
  wait "${pids[@]}"
  exit 0
fi

# --check: run the curls and verify what came back.
failures=0
side_of() { eval "$1" | grep -o '"side":"[a-z]*"' | sed 's/.*:"\(.*\)"/\1/'; }
expect_side() {
  local what=$1 command=$2 expected=$3 got
  got=$(side_of "$command --max-time 5" || true)
  if [[ $got == "$expected" ]]; then
    echo "ok   $what -> $got"
  else
    echo "FAIL $what -> '${got}', expected $expected   ($command)"
    failures=$((failures + 1))
  fi
}
expect_side "acme (flagged new)" "$curl_acme" new
expect_side "globex (not flagged)" "$curl_globex" legacy
expect_side "path-prefixed acme" "$curl_path" new
if ! eval "$curl_path --max-time 5" | grep -q '"path":"/invoices?year=2024"'; then
  echo "FAIL the new side did not see the stripped path"; failures=$((failures + 1))
fi
expect_side "pinned /static/" "$curl_static" new

say "moving globex to new: $move_globex"
eval "$move_globex"
moved=""
for _ in $(seq 50); do  # bounded: 5 s
  moved=$(side_of "$curl_globex --max-time 5" || true)
  [[ $moved == new ]] && break
  sleep 0.1
done
expect_side "globex after the flag edit" "$curl_globex" new

if ((failures)); then
  echo "demo check: $failures failed; switchyard log:" >&2
  cat "$run_dir/switchyard.log" >&2
  exit 1
fi
echo "demo check: all answers as expected"
