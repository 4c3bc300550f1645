#!/usr/bin/env bash
# Instructions (and syscalls) per proxied request, switchyard beside HAProxy, counted rather than
# timed so the figures repeat on a noisy machine. For each proxy in turn: nginx backends (legacy
# and new, `200` with a 64-byte body by default), the proxy on one thread (switchyard: access log
# off; HAProxy: a map of the same 10,000 tenants, half per side, http-reuse always), under
# `valgrind --tool=callgrind`, then a fixed-count client (fixed_client.py) sends exactly
# REQUESTS keep-alive requests, one at a time. Start-up and shutdown are taken out by also
# counting a run of BASELINE requests: per request = (Ir(REQUESTS) - Ir(BASELINE)) /
# (REQUESTS - BASELINE). Syscalls the same way under `strace -f -c`.
#
#   bench/instructions/run.sh [--no-build] [--only switchyard|haproxy] [--no-strace]
# Environment (defaults in brackets): REQUESTS [20000]  BASELINE [2000]  CONNECTIONS [1]
#   BODY_BYTES [64] (the backends' answer)  SWITCHYARD_BUILD_DIR [build]
#   RUN_DIR [demo-run/instructions]
# The callgrind files stay in RUN_DIR for `callgrind_annotate RUN_DIR/switchyard-20000.callgrind`.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

build=1 only="" with_strace=1
while (($#)); do
  case "$1" in
    --no-build) build=0 ;;
    --only) only=$2; shift ;;
    --no-strace) with_strace=0 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done

requests=${REQUESTS:-20000}
baseline=${BASELINE:-2000}
connections=${CONNECTIONS:-1}
body_bytes=${BODY_BYTES:-64}
build_dir=${SWITCHYARD_BUILD_DIR:-$root/build}
run_dir=${RUN_DIR:-$root/demo-run/instructions}
for tool in valgrind haproxy nginx python3 strace; do
  command -v "$tool" >/dev/null || [[ -x /usr/sbin/$tool ]] ||
    { echo "run.sh: $tool is not installed (scripts/install-deps.sh)" >&2; exit 1; }
done
export PATH=$PATH:/usr/sbin
if ((build)); then
  cmake --build "$build_dir" -j2 --target switchyard
fi
switchyard=$build_dir/app/switchyard
[[ -x $switchyard ]] || { echo "run.sh: no $switchyard (build it, or set SWITCHYARD_BUILD_DIR)" >&2; exit 1; }

rm -rf "$run_dir"
mkdir -p "$run_dir/nginx" "$run_dir/state"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
wait_port() {  # bounded: 60 s (valgrind starts slowly)
  for _ in $(seq 600); do
    if python3 -c "import socket,sys; socket.create_connection(('127.0.0.1',$1),1).close()" 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  echo "run.sh: nothing listens on port $1 after 60 s" >&2
  return 1
}

# --- the backends: nginx, one process, two ports, the same answer of BODY_BYTES ---------------
legacy_port=$(free_port) new_port=$(free_port) proxy_port=$(free_port)
mkdir -p "$run_dir/nginx/www"
head -c "$body_bytes" /dev/zero | tr '\0' 'x' >"$run_dir/nginx/www/body"
# Small answers from `return` (Content-Type and Content-Length only); nginx's config lines are
# too short for a large one, which comes from a file (with Last-Modified, ETag, Accept-Ranges).
answer="return 200 \"$(cat "$run_dir/nginx/www/body")\";"
((body_bytes > 1024)) && answer="try_files /body =404;"
cat >"$run_dir/nginx/nginx.conf" <<EOF
daemon off;
master_process off;
worker_processes 1;
pid $run_dir/nginx/nginx.pid;
error_log $run_dir/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 300s;
  client_body_temp_path $run_dir/nginx;
  proxy_temp_path $run_dir/nginx;
  fastcgi_temp_path $run_dir/nginx;
  uwsgi_temp_path $run_dir/nginx;
  scgi_temp_path $run_dir/nginx;
  default_type text/plain;
  root $run_dir/nginx/www;
  server { listen 127.0.0.1:$legacy_port; location / { $answer } }
  server { listen 127.0.0.1:$new_port; location / { $answer } }
}
EOF
nginx -p "$run_dir/nginx" -c "$run_dir/nginx/nginx.conf" &
pids+=($!)
wait_port "$legacy_port"

# --- the proxies' configs: the same 10,000 tenants, even ones on new ---------------------------
bench/wrk/flags-10k.py --output "$run_dir/flags.json"
python3 - "$run_dir/tenants.map" <<'EOF'
import sys
with open(sys.argv[1], "w") as out:
    for i in range(10000):
        out.write(f"t{i:05d} {'new' if i % 2 == 0 else 'legacy'}\n")
EOF
cat >"$run_dir/switchyard.json" <<EOF
{
  "listen": [{"address": "127.0.0.1:$proxy_port"}],
  "threads": 1,
  "backends": {"legacy": {"urls": ["http://127.0.0.1:$legacy_port"]},
               "new": {"urls": ["http://127.0.0.1:$new_port"]}},
  "tenant_key": [{"header": "X-Tenant-Id"}],
  "routes": [{"prefix": "/", "policy": "tenant"}],
  "flags": {"file": "flags.json"},
  "state_dir": "state",
  "access_log": {"enabled": false},
  "log_level": "warn"
}
EOF
# Comparable work: HAProxy also appends X-Forwarded-For, sets X-Forwarded-Proto/-Host, adds Via
# both ways and an X-Request-Id (switchyard's forwarding headers, README "What it does with HTTP").
cat >"$run_dir/haproxy.cfg" <<EOF
global
  nbthread 1
  maxconn 1024
defaults
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server 30s
  timeout http-keep-alive 60s
  http-reuse always
frontend proxy
  bind 127.0.0.1:$proxy_port
  option forwardfor
  unique-id-format %{+X}o%ci%cp%fi%fp%Ts%rt%pid
  unique-id-header X-Request-Id
  http-request set-header X-Forwarded-Proto http
  http-request set-header X-Forwarded-Host %[req.hdr(host)]
  http-request add-header Via "1.1 haproxy"
  http-response add-header Via "1.1 haproxy"
  use_backend %[req.hdr(X-Tenant-Id),map($run_dir/tenants.map,legacy)]
backend legacy
  server legacy1 127.0.0.1:$legacy_port
backend new
  server new1 127.0.0.1:$new_port
EOF
haproxy -c -q -f "$run_dir/haproxy.cfg"

proxy_command() {
  case "$1" in
    switchyard) echo "$switchyard --config $run_dir/switchyard.json" ;;
    haproxy) echo "haproxy -db -f $run_dir/haproxy.cfg" ;;
  esac
}
stop_signal() { [[ $1 == haproxy ]] && echo USR1 || echo TERM; }  # each one's graceful stop

# Runs `proxy` under the wrapper ($3...), sends $2 requests, stops it gracefully.
run_once() {
  local proxy=$1 count=$2
  shift 2
  "$@" $(proxy_command "$proxy") >"$run_dir/$proxy-$count.log" 2>&1 &
  local pid=$!
  wait_port "$proxy_port"
  python3 bench/instructions/fixed_client.py "127.0.0.1:$proxy_port" --requests "$count" \
    --connections "$connections"
  # strace passes no signal on: stop the traced proxy itself (valgrind runs in the process).
  local target=$pid
  [[ $1 == strace ]] && target=$(pgrep -o -P "$pid")
  kill -"$(stop_signal "$proxy")" "$target"
  wait "$pid" || true
}

callgrind_ir() {  # total instructions of one callgrind run, all threads
  awk '/^(summary|totals):/ {print $2; exit}' "$1"
}
per_request() {  # (a - b) / (requests - baseline), one decimal
  awk -v a="$1" -v b="$2" -v n="$((requests - baseline))" 'BEGIN {printf "%.1f", (a - b) / n}'
}

declare -A ir syscalls
proxies=(switchyard haproxy)
[[ -n $only ]] && proxies=("$only")
for proxy in "${proxies[@]}"; do
  for count in "$baseline" "$requests"; do
    out=$run_dir/$proxy-$count.callgrind
    echo "== $proxy under callgrind, $count requests" >&2
    run_once "$proxy" "$count" valgrind --tool=callgrind --callgrind-out-file="$out" \
      --dump-instr=no --collect-systime=no
    ir[$proxy-$count]=$(callgrind_ir "$out")
    if ((with_strace)); then
      echo "== $proxy under strace, $count requests" >&2
      run_once "$proxy" "$count" strace -f -c -o "$run_dir/$proxy-$count.strace"
      syscalls[$proxy-$count]=$(awk '$NF == "total" {print $(NF-2) - 0; exit}' \
        "$run_dir/$proxy-$count.strace")
    fi
  done
done

echo
echo "== $(nproc) cores, $(uname -sr); $requests vs $baseline requests of $body_bytes-byte answers, $connections connection(s), one at a time"
printf '%-11s %14s %14s %14s %10s\n' proxy "Ir($requests)" "Ir($baseline)" "Ir/request" "syscalls/request"
for proxy in "${proxies[@]}"; do
  sys="-"
  if ((with_strace)); then
    sys=$(per_request "${syscalls[$proxy-$requests]}" "${syscalls[$proxy-$baseline]}")
  fi
  printf '%-11s %14s %14s %14s %10s\n' "$proxy" "${ir[$proxy-$requests]}" \
    "${ir[$proxy-$baseline]}" "$(per_request "${ir[$proxy-$requests]}" "${ir[$proxy-$baseline]}")" \
    "$sys"
done
echo "callgrind files: $run_dir/*.callgrind (callgrind_annotate --inclusive=yes FILE | head -60)"
