#!/usr/bin/env bash
# Stands in for the switchyard binary in the harness's own tests: same arguments, same ready
# file, same signals. A config containing "fail_on_start" makes it exit 3 with a reason.
set -u
config="" ready=""
while (($#)); do
  case "$1" in
    --config) config="$2"; shift 2 ;;
    --ready-file) ready="$2"; shift 2 ;;
    *) shift ;;
  esac
done
if grep -q fail_on_start "$config"; then
  echo "fake_proxy: refusing to start: fail_on_start in $config" >&2
  exit 3
fi
trap 'echo "draining"; exit 0' TERM
trap 'echo "reloaded"' HUP
echo "{\"listen\": [\"127.0.0.1:4242\", \"[::1]:4243\"], \"pid\": $$}" >"$ready.tmp"
mv "$ready.tmp" "$ready"
echo "listening"
for _ in $(seq 600); do sleep 0.1; done  # bounded: a minute at most
exit 4
