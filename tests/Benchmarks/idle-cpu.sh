#!/usr/bin/env bash
# Server CPU and memory while it holds idle connections: a polling loop must sleep in the poller,
# not spin, and an idle connection must cost little memory (RSS growth / connections).
# Measures PluggableEcho and, as the baseline in the same run, the original Python server.
# Usage: tests/Benchmarks/idle-cpu.sh [CONNECTIONS] [SECONDS]
set -euo pipefail
connections=${1:-1000}
seconds=${2:-10}
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
ulimit -n $((connections + 200))

dotnet build host -c Release -nologo -v quiet >/dev/null
# A config of its own, so that edits to config/pluggable-echo.yaml do not change what is measured.
config=$(mktemp --suffix=.yaml)
trap 'rm -f "$config"' EXIT
printf 'framing: line\npipeline: [uppercase]\nlimits: { max_connections: 100000 }\n' >"$config"

rss_kib() { awk '/VmRSS/ { print $2 }' "/proc/$1/status"; }

# ask PORT: one line through a fresh connection, so we know the server has served everyone before it.
ask() {
  local probe reply
  exec {probe}<>"/dev/tcp/127.0.0.1/$1"
  printf 'ready?\n' >&"$probe"
  read -r -t 60 reply <&"$probe" || true
  exec {probe}>&-
  [ "$reply" = "READY?" ]
}

# measure NAME COMMAND...: starts the server, opens the idle connections, prints CPU and RSS.
measure() {
  local name=$1 log server port fd before after rss_before rss_after
  shift
  log=$(mktemp)
  "$@" >"$log" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do
    grep -q "listening on" "$log" && break
    sleep 0.1
  done
  port=$(grep -oE 'listening on 127\.0\.0\.1:[0-9]+' "$log" | cut -d: -f2)
  [ -n "$port" ] || { echo "$name did not start:"; cat "$log"; kill $server; return 1; }

  ask "$port" || echo "warning: $name did not answer the probe"
  rss_before=$(rss_kib $server)
  local fds=()
  for _ in $(seq 1 "$connections"); do
    exec {fd}<>"/dev/tcp/127.0.0.1/$port"
    fds+=("$fd")
  done
  ask "$port" || echo "warning: $name did not answer the probe"

  before=$(awk '{ print $14 + $15 }' "/proc/$server/stat")
  sleep "$seconds"
  after=$(awk '{ print $14 + $15 }' "/proc/$server/stat")
  rss_after=$(rss_kib $server)

  for fd in "${fds[@]}"; do exec {fd}>&-; done
  kill -TERM $server; wait $server 2>/dev/null || true
  rm -f "$log"
  awk -v n="$name" -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v s="$seconds" -v rss="$rss_after" \
    -v grown=$((rss_after - rss_before)) -v c="$connections" \
    'BEGIN { printf "%-16s %8.2f%% %10.1f MiB %12.2f KiB\n", n, 100 * t / hz / s, rss / 1024, grown / c }'
}

echo "cores: $(nproc); idle connections: $connections; window: ${seconds}s"
printf "%-16s %9s %14s %16s\n" server "CPU/core" RSS "RSS/connection"
measure pluggable-echo dotnet host/bin/Release/net10.0/pluggable-echo.dll --config "$config" --listen 127.0.0.1:0
if command -v python3 >/dev/null; then
  measure original-python python3 "$here/original-server.py" 0
fi
