#!/usr/bin/env bash
# What the loop count does on this machine: the server (Release, [uppercase], line framing) with
# `loops: 1` and with one loop per core (`loops: N`, N from nproc), started in turn on a free
# loopback port, 1, N, 1, N…, each driven by `pluggable-echo bench` in ping-pong (50 connections), pipeline
# (16 x 50) and stream (64 KiB writes, 1 connection) mode; then the mean throughput and p99 of each,
# and N/1. The client shares the cores with the server, as a benchmark on one machine does;
# with --pin the server runs on CPU 0 alone and the client on the others (taskset), as on a
# machine whose clients are elsewhere (the N loops then share CPU 0).
# Usage: tests/Benchmarks/loops.sh [--rounds N] [--duration SECONDS] [--pin]
set -euo pipefail

usage() { echo "usage: $0 [--rounds N] [--duration SECONDS] [--pin]"; }
rounds=3 duration=5 pin=''
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) [[ ${2-} =~ ^[1-9][0-9]*$ ]] || { usage >&2; exit 2; }; rounds=$2; shift ;;
    --duration) [[ ${2-} =~ ^[1-9][0-9]*$ ]] || { usage >&2; exit 2; }; duration=$2; shift ;;
    --pin) pin=1 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
  shift
done

here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
# shellcheck source=tests/Benchmarks/common.sh
. "$here/common.sh"
cores=$(nproc)
server_cpus=() client_cpus=()
if [ -n "$pin" ]; then
  [ "$cores" -ge 2 ] || { echo "error: --pin needs 2 cores or more" >&2; exit 1; }
  command -v taskset >/dev/null || { echo "error: --pin needs taskset (util-linux)" >&2; exit 1; }
  server_cpus=(taskset -c 0) client_cpus=(taskset -c "1-$((cores - 1))")
fi

tmp=$(mktemp -d)
server_pid=''
cleanup() {
  stop_server
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "building (Release)" >&2
dotnet build -c Release host >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log" >&2; exit 1; }
dll=$PWD/host/bin/Release/net10.0/pluggable-echo.dll
for loops in 1 "$cores"; do
  printf 'framing: line\npipeline: [uppercase]\nloops: %s\n' "$loops" >"$tmp/loops-$loops.yaml"
done

# Prints one bench result line (--tsv) for the server with `loops: $1`, driven with the options after it.
run() {
  local loops=$1
  shift
  start_server "${server_cpus[@]}" dotnet "$dll" --config "$tmp/loops-$loops.yaml" --listen 127.0.0.1:0
  timeout -k 5 $((duration + 60)) "${client_cpus[@]}" dotnet "$dll" bench "127.0.0.1:$server_port" --tsv --duration "${duration}s" --warmup 1s --size 64 --expect upper "$@" 2>/dev/null
  stop_server
}

# name:bench options:column of the figure:its unit (the bench's --tsv: 6 rate, 7 MB/s, 9 p99 us)
modes=("pingpong 50:--mode pingpong --connections 50"
       "pipeline 16x50:--mode pipeline --connections 50 --depth 16"
       "stream 64 KiB:--mode stream --connections 1 --chunk 65536")
results=$tmp/results.tsv
for ((round = 1; round <= rounds; round++)); do
  for loops in 1 "$cores"; do
    for mode in "${modes[@]}"; do
      IFS=: read -r name options <<<"$mode"
      # shellcheck disable=SC2086 # The options are words.
      line=$(run "$loops" $options) # Waits for the server to end, unlike a process substitution.
      IFS=$'\t' read -r -a row <<<"$line"
      printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$loops" "${row[5]}" "${row[6]}" "${row[8]}" | tee -a "$results" >&2
    done
  done
done

sharing='client and server share every core'
[ -z "$pin" ] || sharing='server on CPU 0, client on the rest'
echo "loops: 1 against loops: $cores, one per core ($cores cores), $rounds rounds of ${duration} s each; $sharing"
awk -F'\t' -v cores="$cores" '{ k = $1 FS $2; rate[k] += $3; mbps[k] += $4; p99[k] += $5; n[k]++; if (!($1 in seen)) { seen[$1]; order[++m] = $1 } }
  END {
    printf "%-16s %14s %14s %8s %10s %10s %8s\n", "mode", "1: msg/s", "N: msg/s", "N/1", "1: p99 us", "N: p99", "N/1"
    for (i = 1; i <= m; i++) {
      t = order[i]; a = t FS "1"; b = t FS cores
      printf "%-16s %14.0f %14.0f %7.2fx", t, rate[a] / n[a], rate[b] / n[b], (rate[b] / n[b]) / (rate[a] / n[a])
      if (p99[a] > 0) printf " %10.0f %10.0f %7.2fx\n", p99[a] / n[a], p99[b] / n[b], (p99[b] / n[b]) / (p99[a] / n[a])
      else printf " %10s %10s %8s\n", "-", "-", "-" # A stream has no round trips to time.
    }
  }' "$results"
