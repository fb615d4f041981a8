#!/usr/bin/env bash
# A/B of the server at an earlier commit (A) against the working tree (B): both built Release,
# then started in turn on a free loopback port, A, B, A, B…, each driven by this tree's
# `pluggable-echo bench` in pipeline, ping-pong and stream mode; then the mean of each and B/A.
# Alternating, in one command, is what makes a few percent visible through the noise of a
# small machine. Usage: tests/Benchmarks/ab.sh BASE [--rounds N] [--duration SECONDS]
set -euo pipefail

usage() { echo "usage: $0 BASE [--rounds N] [--duration SECONDS]   (BASE: a commit, such as HEAD~3 or main)"; }
[ $# -ge 1 ] || { usage >&2; exit 2; }
base=$1
shift
rounds=3 duration=5
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) [[ ${2-} =~ ^[1-9][0-9]*$ ]] || { usage >&2; exit 2; }; rounds=$2; shift ;;
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

tmp=$(mktemp -d)
server_pid=''
cleanup() {
  stop_server
  remove_side
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

build_side "$base"

# Prints one bench result line (--tsv) for the server DLL $1 driven with the options after it.
run() {
  local dll=$1
  shift
  start_server sh -c 'cd "$(dirname "$1")" && exec dotnet "$1" --listen 127.0.0.1:0' server "$dll"
  dotnet "$b_dll" bench "127.0.0.1:$server_port" --tsv --duration "${duration}s" --warmup 1s "$@" 2>/dev/null
  stop_server
}

modes=("pipeline:--mode pipeline --connections 50 --depth 16:6:messages/s"
       "pingpong:--mode pingpong --connections 50:6:messages/s"
       "stream:--mode stream --connections 4:7:MB/s")
results=$tmp/results.tsv
for ((round = 1; round <= rounds; round++)); do
  for side in A B; do
    dll=$a_dll
    [ "$side" = B ] && dll=$b_dll
    for mode in "${modes[@]}"; do
      IFS=: read -r name options column unit <<<"$mode"
      # shellcheck disable=SC2086 # The options are words.
      value=$(run "$dll" $options | cut -f"$column")
      printf '%s\t%s\t%s\t%s\n' "$name" "$side" "$value" "$unit" | tee -a "$results" >&2
    done
  done
done

echo "A: $(git rev-parse --short "$base"), B: this tree; $rounds rounds of ${duration} s each, $(nproc) cores"
awk -F'\t' '{ sum[$1 FS $2] += $3; n[$1 FS $2]++; unit[$1] = $4; if (!($1 in seen)) { seen[$1]; order[++k] = $1 } }
  END {
    printf "%-10s %16s %16s %8s\n", "mode", "A", "B", "B/A"
    for (i = 1; i <= k; i++) {
      m = order[i]; a = sum[m FS "A"] / n[m FS "A"]; b = sum[m FS "B"] / n[m FS "B"]
      printf "%-10s %16.0f %16.0f %7.2fx  (%s)\n", m, a, b, b / a, unit[m]
    }
  }' "$results"
