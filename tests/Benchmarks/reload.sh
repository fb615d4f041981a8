#!/usr/bin/env bash
# What a live reload costs on this machine. The server (Release, line framing, a pipeline of a
# plugin step and a script step, its admin endpoint on a free loopback port) is reloaded again and
# again between two configs, [uppercase, script] and [reverse, rot13, script], by rewriting its
# file and asking its admin endpoint; every reload must succeed. It measures:
# - reload latency, with 1 and with 100 ping-pong clients connected (`reload: existing: switch`, so
#   they move at each reload): the server's own figure (event 310, from the trigger to new
#   connections using the new generation) and the round trip of `pluggable-echo reload` as its
#   caller sees it (the start of a .NET process included); after each reload a fresh connection
#   checks that it gets the new pipeline's reply;
# - the worst pause a connected client sees: one ping-pong client, its maximum latency and p99.9
#   with no reload, then with N reloads during its run (`existing: keep`, then `existing: switch`),
#   each against a freshly started server, in this one run; these reloads are POST /reload from
#   this shell (no process started beside the client);
# - memory: the server's VmRSS, open files and threads after start, after N reloads and after C,
#   with nothing connected (POST /reload, whose round trip is timed too).
# Usage: tests/Benchmarks/reload.sh [--reloads N] [--cycles N] [--duration SECONDS]
set -euo pipefail

usage() { echo "usage: $0 [--reloads N] [--cycles N] [--duration SECONDS]   (defaults: 20 reloads, 200 cycles, 20 s)"; }
reloads=20 cycles=200 duration=20
while [ $# -gt 0 ]; do
  case $1 in
    --reloads) [[ ${2-} =~ ^[1-9][0-9]*$ ]] || { usage >&2; exit 2; }; reloads=$2; shift ;;
    --cycles) [[ ${2-} =~ ^[1-9][0-9]*$ ]] || { usage >&2; exit 2; }; cycles=$2; shift ;;
    --duration) [[ ${2-} =~ ^[1-9][0-9]*$ ]] || { usage >&2; exit 2; }; duration=$2; shift ;; # the pause runs'
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
  shift
done
((cycles >= reloads)) || { echo "error: --cycles ($cycles) must be at least --reloads ($reloads)" >&2; exit 2; }
((duration >= 5)) || { echo "error: --duration must be 5 s or more" >&2; exit 2; }

here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
# shellcheck source=tests/Benchmarks/common.sh
. "$here/common.sh"

tmp=$(mktemp -d)
server_pid='' bench_pid=''
# bench_stop: ends the background clients, if any (timeout passes the signal on to the bench).
bench_stop() {
  [ -n "$bench_pid" ] || return 0
  kill -TERM "$bench_pid" 2>/dev/null || true
  wait "$bench_pid" 2>/dev/null || true
  bench_pid=''
}
cleanup() {
  bench_stop
  stop_server
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { echo "$*" >&2; }
die() { say "error: $*"; [ ! -f "$tmp/server.log" ] || { say "--- server log (last 20 lines)"; tail -n 20 "$tmp/server.log" >&2; }; exit 1; }

say "building (Release)"
dotnet build -c Release host >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log" >&2; exit 1; }
dll=$PWD/host/bin/Release/net10.0/pluggable-echo.dll

# The two pipelines reloads alternate between, before the script step, and what each makes of the
# probe line `abc`. The clients' line is one that both give back unchanged (digits, a palindrome),
# so every reply is checked whichever pipeline a client is on.
steps=("uppercase" "reverse rot13") probe_replies=("ABC" "pon")
payload='0123456789-9876543210'
config=$tmp/server.yaml

# write_config INDEX EXISTING: the server's config with pipeline INDEX (0 or 1); written beside and
# renamed over, so the server never reads half a file.
write_config() {
  local step
  {
    printf 'framing: line\nadmin: { listen: 127.0.0.1:0 }\nreload: { existing: %s }\npipeline:\n' "$2"
    for step in ${steps[$1]}; do printf '  - %s\n' "$step"; done
    printf '  - script: |\n      state.count = (state.count || 0) + 1;\n      return message;\n'
  } >"$config.new"
  mv "$config.new" "$config"
}

# start: a fresh server on pipeline 0 with `existing: $1`; sets server_pid, server_port, admin_port,
# and generation (1) and current (the pipeline's index).
start() {
  existing=$1
  write_config 0 "$existing"
  start_server dotnet "$dll" --config "$config" --listen 127.0.0.1:0
  admin_port=$(grep -aoE 'admin endpoint on http://127\.0\.0\.1:[0-9]+' "$tmp/server.log" | head -1 | cut -d: -f3)
  [ -n "$admin_port" ] || die "the server did not say where its admin endpoint is"
  generation=1 current=0
}

now_us() { echo "${EPOCHREALTIME/./}"; } # bash 5: wall clock, microseconds, no process started
ms() { awk -v us="$1" 'BEGIN { printf "%.1f", us / 1000 }'; }

# post_reload: POST /reload over a connection of this shell's own; true if the answer is 200.
post_reload() {
  local fd line status=''
  exec {fd}<>"/dev/tcp/127.0.0.1/$admin_port" || return 1
  printf 'POST /reload HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n' >&"$fd"
  : >"$tmp/reload.out"
  while IFS= read -r -t 40 line <&"$fd" || [ -n "$line" ]; do
    [ -n "$status" ] || status=$line
    printf '%s\n' "$line" >>"$tmp/reload.out"
  done
  exec {fd}>&-
  [[ $status =~ ^HTTP/1\.[01]\ 200 ]]
}

# ask LINE: LINE through a fresh connection; prints the reply without its line ending.
ask() {
  local fd reply=''
  exec {fd}<>"/dev/tcp/127.0.0.1/$server_port" || return 1
  printf '%s\n' "$1" >&"$fd"
  read -r -t 5 reply <&"$fd" || true
  exec {fd}>&-
  printf '%s' "${reply%$'\r'}"
}

# reload HOW OUT: switches the config to the other pipeline and reloads through HOW (cli: the
# `reload` command; http: post_reload); waits for the server's event 310 for the new generation,
# probes a fresh connection, and appends "server ms, caller ms, probe ok (1/0)" to OUT.
reload() {
  local how=$1 out=$2 next=$((1 - current)) t0 t1 line server_ms deadline=$((SECONDS + 10)) ok=0 tries=0
  write_config "$next" "$existing"
  t0=$(now_us)
  case $how in
    cli) timeout -k 5 60 dotnet "$dll" reload "127.0.0.1:$admin_port" >"$tmp/reload.out" 2>&1 || die "reload $((generation + 1)) failed: $(cat "$tmp/reload.out")" ;;
    http) post_reload || die "reload $((generation + 1)) failed: $(cat "$tmp/reload.out")" ;;
  esac
  t1=$(now_us)
  generation=$((generation + 1)) current=$next
  until line=$(grep -a "\[310\] .*generation $generation serves new connections" "$tmp/server.log"); do
    # Many reloads a second (the memory cycles) meet the log's rate limit, which drops some
    # events 310: the POST's answer said it reloaded; only its server figure is missing.
    tries=$((tries + 1))
    if [ "$how" = http ] && ((tries > 25)) && grep -qa "similar events (event id 310) suppressed" "$tmp/server.log"; then
      return 0
    fi
    ((SECONDS < deadline)) || die "no event 310 for generation $generation in the server's log"
    sleep 0.02
  done
  server_ms=$(sed -E 's/.*, ([0-9.]+) ms after the trigger.*/\1/' <<<"$line")
  [ "$(ask abc)" != "${probe_replies[$current]}" ] || ok=1
  printf '%s\t%s\t%s\n' "$server_ms" "$(ms $((t1 - t0)))" "$ok" >>"$out"
}

# bench_start CONNECTIONS SECONDS OUT: ping-pong clients on the payload, in the background, their
# --tsv line in OUT (progress in OUT.err); returns once they measure (connected and warmed up).
bench_start() {
  local deadline=$((SECONDS + 60))
  timeout -k 5 $(($2 + 60)) dotnet "$dll" bench "127.0.0.1:$server_port" --mode pingpong --connections "$1" \
    --duration "$2s" --warmup 1s --payload "$payload" --expect same --tsv >"$3" 2>"$3.err" &
  bench_pid=$!
  until grep -qa 'pingpong:' "$3.err"; do
    kill -0 "$bench_pid" 2>/dev/null || { cat "$3.err" >&2; die "the bench client ended before measuring"; }
    ((SECONDS < deadline)) || die "the bench client did not start measuring within 60 s"
    sleep 0.05
  done
}

# bench_wait OUT: waits for the clients; fails on a non-zero exit (errors, mismatches).
bench_wait() {
  local status=0
  wait "$bench_pid" || status=$?
  bench_pid=''
  [ "$status" -eq 0 ] || { cat "$1.err" >&2; die "the bench client exited with $status (errors or mismatches: $(cat "$1"))"; }
}

# median_max FILE COLUMN: "median<TAB>max" of a column of numbers.
median_max() {
  cut -f"$2" "$1" | sort -g | awk '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.1f\t%.1f\n", m, v[NR] }'
}

latency_rows=$tmp/latency.tsv probes_ok=0 probes=0
: >"$latency_rows"
# latency CONNECTIONS: reload latency with that many clients connected, $reloads reloads one after
# the other through the `reload` command.
latency() {
  local out="$tmp/latency-$1.tsv" bench_out="$tmp/bench-latency-$1.tsv" i
  say "reload latency, $1 client(s) connected: $reloads reloads through \`pluggable-echo reload\`"
  start switch
  : >"$out"
  bench_start "$1" 600 "$bench_out" # ended below, once the reloads are done
  for ((i = 1; i <= reloads; i++)); do
    reload cli "$out"
    kill -0 "$bench_pid" 2>/dev/null || { cat "$bench_out.err" >&2; die "the bench client ended during the reloads"; }
  done
  bench_stop
  stop_server
  probes=$((probes + reloads)) probes_ok=$((probes_ok + $(awk '{ s += $3 } END { print s }' "$out")))
  IFS=$'\t' read -r s_med s_max <<<"$(median_max "$out" 1)"
  IFS=$'\t' read -r c_med c_max <<<"$(median_max "$out" 2)"
  printf '%s\t%s\t%s\t%s\t%s\n' "$1 connected (\`reload\` command)" "$s_med" "$s_max" "$c_med" "$c_max" >>"$latency_rows"
  say "  server (event 310) median $s_med ms, max $s_max ms; \`reload\` round trip median $c_med ms, max $c_max ms"
}

pause_rows=$tmp/pause.tsv
: >"$pause_rows"
# pause NAME EXISTING RELOADS: one ping-pong client for $duration s on a fresh server, with RELOADS
# reloads spread over its measured run; one row of its figures.
pause() {
  local name=$1 count=$3 bench_out="$tmp/bench-pause-$2-$3.tsv" out="$tmp/pause-$2-$3.tsv" i start_us gap_us due
  say "1 ping-pong client for $duration s, $name"
  start "$2"
  : >"$out"
  bench_start 1 "$duration" "$bench_out"
  start_us=$(now_us)
  # From 0.5 s into the measured run to 1.5 s before its end, evenly.
  gap_us=$(((duration * 1000000 - 2000000) / (count > 0 ? count : 1)))
  for ((i = 0; i < count; i++)); do
    due=$((start_us + 500000 + i * gap_us))
    while (($(now_us) < due)); do sleep 0.01; done
    reload http "$out"
  done
  if ((count > 0)) && (($(now_us) - start_us > (duration - 1) * 1000000)); then
    say "  warning: the reloads took longer than the run: the last ones fell after it"
  fi
  bench_wait "$bench_out"
  stop_server
  local rate p50 p99 p999 max
  IFS=$'\t' read -r _ _ _ _ _ rate _ p50 p99 p999 _ _ max <"$bench_out"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$rate" "$p50" "$p99" "$p999" "$max" >>"$pause_rows"
  say "  $(printf '%.0f' "$rate") msg/s, p50 $p50 us, p99.9 $p999 us, max $max us"
}

memory_rows=$tmp/memory.tsv
: >"$memory_rows"
# snapshot NAME: the server's VmRSS, open files, threads and the old generations not ended yet
# (once they all have, or after 5 s).
snapshot() {
  local ended deadline=$((SECONDS + 5)) rss files threads
  while ended=$(grep -ac '\[312\] generation [0-9]* ended' "$tmp/server.log" || true) && ((ended < generation - 1 && SECONDS < deadline)); do
    sleep 0.1
  done
  rss=$(awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$server_pid/status")
  threads=$(awk '/^Threads/ { print $2 }' "/proc/$server_pid/status")
  files=$(find "/proc/$server_pid/fd" -mindepth 1 | wc -l)
  printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$rss" "$files" "$threads" "$((generation - 1 - ended))" >>"$memory_rows"
  say "  $1: VmRSS $rss MiB, $files open files, $threads threads, $((generation - 1 - ended)) old generations not ended"
}

# memory: a fresh server, nothing connected, $cycles reloads through POST /reload.
memory() {
  local out="$tmp/memory-reloads.tsv" i
  say "memory: $cycles reloads through POST /reload, nothing connected"
  start switch
  : >"$out"
  sleep 1
  snapshot "after start"
  for ((i = 1; i <= cycles; i++)); do
    reload http "$out"
    ((i != reloads)) || snapshot "after $reloads reloads"
  done
  snapshot "after $cycles reloads"
  stop_server
  probes=$((probes + cycles)) probes_ok=$((probes_ok + $(awk '{ s += $3 } END { print s }' "$out")))
  IFS=$'\t' read -r s_med s_max <<<"$(median_max "$out" 1)"
  IFS=$'\t' read -r c_med c_max <<<"$(median_max "$out" 2)"
  printf '%s\t%s\t%s\t%s\t%s\n' "none (POST /reload, $cycles reloads)" "$s_med" "$s_max" "$c_med" "$c_max" >>"$latency_rows"
}

began=$SECONDS
latency 1
latency 100
pause "no reload" keep 0
pause "$reloads reloads, existing: keep" keep "$reloads"
pause "$reloads reloads, existing: switch" switch "$reloads"
memory

{
  echo "reload.sh: $(date -u '+%Y-%m-%d %H:%M') UTC, $(nproc) cores (nproc), load average $(cut -d' ' -f1-3 /proc/loadavg); client and server on this machine, $((SECONDS - began)) s"
  echo
  echo "Reload latency, ms: the server's own figure (event 310: trigger to new connections on the new generation) and the caller's round trip:"
  echo
  echo "| clients connected (trigger) | server median | server max | caller median | caller max |"
  echo "| --- | ---: | ---: | ---: | ---: |"
  awk -F'\t' '{ printf "| %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5 }' "$latency_rows"
  echo
  echo "New connections on the new pipeline right after each reload: $probes_ok of $probes."
  echo
  echo "One ping-pong client, $duration s each, every reply checked; latencies in us, ratios against the run with no reload:"
  echo
  echo "| run | msg/s | p50 | p99 | p99.9 | max | p99.9 ratio | max ratio |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  awk -F'\t' 'NR == 1 { p = $5; m = $6 }
    { printf "| %s | %.0f | %.0f | %.0f | %.0f | %.0f | %.2fx | %.2fx |\n", $1, $2, $3, $4, $5, $6, (p > 0 ? $5 / p : 0), (m > 0 ? $6 / m : 0) }' "$pause_rows"
  echo
  echo "The server with nothing connected, reloaded through POST /reload:"
  echo
  echo "| when | VmRSS MiB | open files | threads | old generations not ended |"
  echo "| --- | ---: | ---: | ---: | ---: |"
  awk -F'\t' '{ printf "| %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5 }' "$memory_rows"
}
