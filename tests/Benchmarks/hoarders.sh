#!/usr/bin/env bash
# Starts the server (Release, the shipped config, a free loopback port) and runs hoarders.py
# against it: what never-reading clients make it hold, and what it gives back after they leave.
# Usage: tests/Benchmarks/hoarders.sh [CLIENTS] [lines|unterminated] [SECONDS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
dotnet build -c Release host >/dev/null
log=$(mktemp)
host/bin/Release/net10.0/pluggable-echo --config config/pluggable-echo.yaml --listen 127.0.0.1:0 >"$log" 2>&1 &
server=$!
trap 'kill -TERM $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 100); do
  port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$log")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { cat "$log" >&2; exit 1; }
python3 "$here/hoarders.py" "$port" "$server" "${1:-500}" "${2:-lines}" "${3:-12}"
grep -E '\[12[0-3]\]' "$log" || true
