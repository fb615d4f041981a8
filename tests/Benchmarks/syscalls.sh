#!/usr/bin/env bash
# The system calls the server makes per 1,000 replies (and per client accepted), at an earlier
# commit (A) and in the working tree (B), counted with `strace -c -f` while `pluggable-echo bench`
# drives it: ping-pong with 50 connections, a 64 KiB stream on one, and a burst of 2,000 clients
# that connect and hold. Both servers are built Release and serve [uppercase] with line framing
# and `loops: 1`; strace slows them, so the rates mean nothing here, only the counts.
# Usage: tests/Benchmarks/syscalls.sh BASE [--duration SECONDS]   (installs strace when missing)
set -euo pipefail

usage() { echo "usage: $0 BASE [--duration SECONDS]   (BASE: a commit, such as HEAD~3 or main)"; }
[ $# -ge 1 ] || { usage >&2; exit 2; }
base=$1
shift
duration=3
while [ $# -gt 0 ]; do
  case $1 in
    --duration) [[ ${2-} =~ ^[1-9][0-9]*$ ]] || { usage >&2; exit 2; }; duration=$2; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
  shift
done

here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
# shellcheck source=tests/Benchmarks/common.sh
. "$here/common.sh"
if ! command -v strace >/dev/null; then
  echo "installing strace" >&2
  if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
  { "${sudo[@]}" apt-get update -qq && "${sudo[@]}" apt-get install -y -qq strace; } >/dev/null 2>&1 ||
    { echo "error: could not install strace" >&2; exit 1; }
fi

tmp=$(mktemp -d)
server_pid='' strace_pid='' bench_pid=''
cleanup() {
  for pid in "$strace_pid" "$bench_pid"; do [ -z "$pid" ] || kill -TERM "$pid" 2>/dev/null || true; done
  stop_server
  remove_side
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

build_side "$base"
bench=(dotnet "$b_dll" bench)
printf 'framing: line\npipeline: [uppercase]\nloops: 1\nlimits:\n  max_connections: 5000\n' >"$tmp/echo.yaml"
ulimit -n 20000

# count SIDE DLL NAME BENCH_OPTIONS...: the server's system calls while the bench runs, by name, as
# "SIDE<TAB>NAME<TAB>syscall<TAB>calls<TAB>units" lines: units are thousands of replies, MB echoed
# for a stream, or thousands of clients for the idle burst, whose count stops once the server
# holds them all (their closing is not counted).
count() {
  local side=$1 dll=$2 name=$3 units row
  shift 3
  start_server dotnet "$dll" --config "$tmp/echo.yaml" --listen 127.0.0.1:0
  "${bench[@]}" "127.0.0.1:$server_port" --mode pipeline --duration 1s --warmup 1ms >/dev/null 2>&1 || true # JIT and pools warm
  strace -c -f -q -o "$tmp/strace.txt" -p "$server_pid" &
  strace_pid=$!
  sleep 1 # strace has attached to every thread
  if [ "$2" = idle ]; then
    local files deadline=$((SECONDS + 60))
    files=$(find "/proc/$server_pid/fd" -mindepth 1 | wc -l)
    timeout -k 5 120 "${bench[@]}" "127.0.0.1:$server_port" --duration 30s "$@" >/dev/null 2>&1 &
    bench_pid=$!
    while [ "$(find "/proc/$server_pid/fd" -mindepth 1 | wc -l)" -lt $((files + 2000)) ] && ((SECONDS < deadline)); do sleep 0.1; done
    units=2
  else
    row=$(timeout -k 5 $((duration + 60)) "${bench[@]}" "127.0.0.1:$server_port" --tsv --duration "${duration}s" --warmup 1ms "$@" 2>/dev/null)
    if [ "$2" = stream ]; then
      units=$(awk -F'\t' '{ printf "%.3f", $5 * $7 }' <<<"$row")
    else
      units=$(awk -F'\t' '{ printf "%.3f", $4 / 1000 }' <<<"$row")
    fi
  fi
  kill -INT "$strace_pid"
  wait "$strace_pid" 2>/dev/null || true
  strace_pid=''
  if [ -n "$bench_pid" ]; then
    kill -TERM "$bench_pid" 2>/dev/null || true
    wait "$bench_pid" 2>/dev/null || true
    bench_pid=''
  fi
  stop_server
  awk -v side="$side" -v name="$name" -v units="${units:-0}" \
    '$1 ~ /^[0-9.]+$/ && NF >= 5 { printf "%s\t%s\t%s\t%s\t%s\n", side, name, $NF, $4, units }' "$tmp/strace.txt"
}

results=$tmp/results.tsv
for side in A B; do
  dll=$a_dll
  [ "$side" = B ] && dll=$b_dll
  echo "side $side" >&2
  count "$side" "$dll" "pingpong 50" --mode pingpong --connections 50 >>"$results"
  count "$side" "$dll" "stream 64 KiB" --mode stream --connections 1 --chunk 65536 >>"$results"
  count "$side" "$dll" "2,000 clients" --mode idle --connections 2000 >>"$results"
done

echo "A: $(git rev-parse --short "$base"), B: this tree; the server's system calls by name, per 1,000 replies (ping-pong), per MB echoed (stream), per 1,000 clients accepted (burst)"
awk -F'\t' '{
    k = $2 FS $3; per = $5 > 0 ? $4 / $5 : 0
    v[k FS $1] = per; if (!(k in seen)) { seen[k]; order[++n] = k }
  }
  END {
    printf "%-14s %-16s %12s %12s\n", "workload", "call", "A", "B"
    for (i = 1; i <= n; i++) {
      split(order[i], p, FS); a = v[order[i] FS "A"] + 0; b = v[order[i] FS "B"] + 0
      if (a >= 1 || b >= 1) printf "%-14s %-16s %12.1f %12.1f\n", p[1], p[2], a, b
    }
  }' "$results"
