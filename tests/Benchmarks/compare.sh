#!/usr/bin/env bash
# One benchmark matrix against PluggableEcho ([uppercase] with a loop per core and with one loop,
# and [reverse, rot13]), the reference server (tests/Benchmarks/ReferenceServer, the usual async .NET
# way: the baseline), the C limit
# (tests/Benchmarks/c-limit/epoll-upper.c: one thread, epoll, what a careful C programmer would
# write; built with the machine's cc, and its column skipped when there is none) and Redis, each
# started on a free loopback port and driven by `pluggable-echo bench`; then one table of the
# figures with their ratios to the baseline, and the server CPU time each message cost.
# Usage: tests/Benchmarks/compare.sh [--quick] [--duration SECONDS] [--spin DURATION] [--metrics]
set -euo pipefail

usage() { echo "usage: $0 [--quick] [--duration SECONDS] [--spin DURATION] [--metrics]"; }
duration=10 warmup=2 quick='' duration_given='' spin='' metrics=''
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=1 ;;
    --duration)
      [[ ${2-} =~ ^[1-9][0-9]*$ ]] || { usage >&2; echo "--duration takes a whole number of seconds" >&2; exit 2; }
      duration=$2 duration_given=1
      shift ;;
    --spin) # adds a column: PluggableEcho [uppercase] with the config's spin set to DURATION
      [[ ${2-} =~ ^[1-9][0-9]*(us|ms)$ ]] || { usage >&2; echo "--spin takes a duration such as 50us" >&2; exit 2; }
      spin=$2
      shift ;;
    --metrics) metrics=1 ;; # adds a column: PluggableEcho [uppercase] with its admin endpoint scraped every second
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
  shift
done
if [ -n "$quick" ]; then
  warmup=1
  [ -n "$duration_given" ] || duration=2
fi
idle_connections=10000 idle_test="idle 10,000 conn"
# Room for the idle connections, one probe and the runtime's own files, in the server and the client.
fd_limit=12000
max_clients=11000

here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
host_dll=host/bin/Release/net10.0/pluggable-echo.dll
reference_dll=tests/Benchmarks/ReferenceServer/bin/Release/net10.0/reference-server.dll
bench_cmd=(dotnet "$host_dll" bench)

say() { echo "$*" >&2; }
die() { say "error: $*"; exit 1; }

hard_limit=$(ulimit -Hn)
if [ "$hard_limit" != unlimited ] && [ "$hard_limit" -lt "$fd_limit" ]; then
  die "$idle_connections idle connections need $fd_limit open files, and the hard limit (ulimit -Hn) is $hard_limit"
fi
ulimit -n "$fd_limit"

tmp=$(mktemp -d)
started=() # processes started and not yet reaped
forget() {
  local pid kept=()
  for pid in "${started[@]}"; do [ "$pid" = "$1" ] || kept+=("$pid"); done
  started=("${kept[@]}")
}
# Everything still running is asked to stop (timeout passes it on to the bench), then killed 5 s later.
cleanup() {
  local pid deadline=$((SECONDS + 5))
  for pid in "${started[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${started[@]}"; do
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if ! command -v redis-server >/dev/null; then
  say "installing redis-server"
  if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
  if ! { "${sudo[@]}" apt-get update -qq && "${sudo[@]}" apt-get install -y -qq redis-server; } >"$tmp/apt.log" 2>&1; then
    cat "$tmp/apt.log" >&2
    die "could not install redis-server"
  fi
fi

say "building (Release)"
for project in host tests/Benchmarks/ReferenceServer; do
  dotnet build "$project" -c Release -nologo -v quiet >"$tmp/build.log" 2>&1 ||
    { cat "$tmp/build.log" >&2; die "building $project failed"; }
done
c_limit=
if command -v cc >/dev/null; then
  cc -O2 -Wall -Wextra -o "$tmp/epoll-upper" tests/Benchmarks/c-limit/epoll-upper.c >"$tmp/build.log" 2>&1 ||
    { cat "$tmp/build.log" >&2; die "building tests/Benchmarks/c-limit/epoll-upper.c failed"; }
  c_limit=1
else
  say "no C compiler (cc): the C epoll (limit) column is skipped"
fi

# A payload that reverse then rot13 give back unchanged (its second half is its first reversed and
# rotated), so the [reverse, rot13] row is checked byte for byte like the others: 62 bytes + CRLF.
mirror_payload='Pack my box with five dozen liqdvy armbq rivs ugvj kbo lz xpnC'

# A config of its own for each pipeline, so that edits to config/ do not change what is measured.
# write_config NAME PIPELINE [LINE]: $tmp/NAME.yaml, which server pe-NAME serves.
write_config() {
  printf 'framing: line\npipeline: [%s]\nlimits:\n  max_connections: %d\n%s' "$2" "$max_clients" "${3-}" >"$tmp/$1.yaml"
}
write_config uppercase uppercase "loops: $(nproc)
"
write_config uppercase-1-loop uppercase "loops: 1
"
write_config reverse-rot13 'reverse, rot13'
write_config uppercase-spin uppercase "spin: $spin"
write_config uppercase-scraped uppercase "admin: { listen: 127.0.0.1:0 }"

# The servers, in column order; the first is the baseline.
servers=(reference ${c_limit:+c-limit} pe-uppercase pe-uppercase-1-loop ${spin:+pe-uppercase-spin} ${metrics:+pe-uppercase-scraped} pe-reverse-rot13 redis)
declare -A label=(
  [reference]="reference (baseline)" [c-limit]="C epoll (limit)" [pe-uppercase]="PE [uppercase] loop per core" [pe-uppercase-1-loop]="PE [uppercase] loops: 1" [pe-uppercase-spin]="PE [uppercase] spin $spin"
  [pe-uppercase-scraped]="PE [uppercase] scraped 1/s" [pe-reverse-rot13]="PE [reverse,rot13]" [redis]="Redis"
)
# describe_server: what the server is sent and how its replies are checked (bench arguments), and a
# probe line with the reply that shows it is up.
describe_server() {
  case $server in
    reference | c-limit | pe-uppercase*) check=(--size 64 --expect upper) probe='ready?' probe_reply='READY?' ;;
    pe-reverse-rot13) check=(--payload "$mirror_payload" --expect same) probe=$mirror_payload probe_reply=$mirror_payload ;;
    redis) check=(--payload PING --expect none) probe=PING probe_reply=+PONG ;;
  esac
}

cpu_ticks() { # utime + stime of PID, in clock ticks
  local stat
  read -r stat <"/proc/$1/stat"
  stat=${stat##*) } # past the command name, which may hold spaces
  read -r -a stat <<<"$stat"
  echo $((stat[11] + stat[12]))
}
rss_kib() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }
open_files() { find "/proc/$1/fd" -mindepth 1 | wc -l; }
hz=$(getconf CLK_TCK)

# wait_for_log PID LOG PATTERN: true once LOG matches PATTERN; false if PID ends or 30 s pass first.
wait_for_log() {
  local deadline=$((SECONDS + 30))
  until grep -qE "$3" "$2"; do
    if ! kill -0 "$1" 2>/dev/null || ((SECONDS >= deadline)); then return 1; fi
    sleep 0.1
  done
}

# start_server NAME: starts it on a free loopback port; sets server_pid and server_port.
start_server() {
  local log="$tmp/$1.log"
  case $1 in
    reference) dotnet "$reference_dll" --port 0 >"$log" 2>&1 & ;;
    c-limit) "$tmp/epoll-upper" --port 0 >"$log" 2>&1 & ;;
    pe-*) dotnet "$host_dll" --config "$tmp/${1#pe-}.yaml" --listen 127.0.0.1:0 >"$log" 2>&1 & ;;
    redis) start_redis "$log"; return ;;
  esac
  server_pid=$!
  started+=("$server_pid")
  wait_for_log "$server_pid" "$log" 'listening on 127\.0\.0\.1:[0-9]+' || return 1
  server_port=$(grep -oE 'listening on 127\.0\.0\.1:[0-9]+' "$log" | head -1 | cut -d: -f2)
  if [ "$1" = pe-uppercase-scraped ]; then scrape "$log" || return 1; fi
}

# scrape LOG: reads the server's admin endpoint every second, as Prometheus would, until it stops.
scrape() {
  wait_for_log "$server_pid" "$1" 'admin endpoint on http://127\.0\.0\.1:[0-9]+' || return 1
  local admin_port
  admin_port=$(grep -oE 'admin endpoint on http://127\.0\.0\.1:[0-9]+' "$1" | head -1 | cut -d: -f3)
  (while kill -0 "$server_pid" 2>/dev/null; do
    exec {fd}<>"/dev/tcp/127.0.0.1/$admin_port" || break
    printf 'GET /metrics HTTP/1.0\r\n\r\n' >&"$fd"
    cat <&"$fd" >/dev/null
    exec {fd}>&-
    sleep 1
  done) &
  started+=("$!")
}

# Redis cannot pick a free port itself: try ports below the ephemeral range until one binds.
start_redis() {
  local attempt
  for attempt in 1 2 3 4 5; do
    server_port=$((20000 + RANDOM % 10000))
    redis-server --port "$server_port" --bind 127.0.0.1 --save '' --appendonly no --protected-mode no \
      --maxclients "$max_clients" >"$1" 2>&1 &
    server_pid=$!
    started+=("$server_pid")
    wait_for_log "$server_pid" "$1" 'Ready to accept connections' && return 0
    grep -q 'Address already in use' "$1" || return 1
    say "  port $server_port is taken (attempt $attempt)"
    stop_server
  done
  return 1
}

# stop_server: SIGTERM, and SIGKILL if it has not ended 15 s later.
stop_server() {
  local deadline=$((SECONDS + 15))
  kill -TERM "$server_pid" 2>/dev/null || true
  while kill -0 "$server_pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
  kill -KILL "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  forget "$server_pid"
}

# ask LINE: sends LINE through a fresh connection; prints the reply line without its CR.
ask() {
  local fd reply=
  exec {fd}<>"/dev/tcp/127.0.0.1/$server_port" || return 1
  printf '%s\r\n' "$1" >&"$fd"
  read -r -t 10 reply <&"$fd" || true
  exec {fd}>&-
  printf '%s' "${reply%$'\r'}"
}

# bench_start SECONDS ARGS...: the bench client against the server, in the background (so that a
# signal reaches the trap at once) and ended after SECONDS at most; sets bench_pid.
bench_start() {
  local limit=$1
  shift
  timeout -k 5 "$limit" "${bench_cmd[@]}" "127.0.0.1:$server_port" "$@" "${check[@]}" &
  bench_pid=$!
  started+=("$bench_pid")
}
# bench_wait: waits for it; returns its exit status.
bench_wait() {
  local status=0
  wait "$bench_pid" || status=$?
  forget "$bench_pid"
  return "$status"
}

results="$tmp/results.tsv" idle_results="$tmp/idle-results.tsv"
: >"$results" && : >"$idle_results"
failures=()
record() { printf '%s\t%s\t%s\t%s\n' "$server" "$1" "$2" "$3" >>"$results"; }
fail() {
  failures+=("${label[$server]}, $1: $2")
  say "  FAILED: $2"
}
show_tail() { say "  --- $1 (last 20 lines)"; tail -n 20 "$1" | sed 's/^/  /' >&2; }
# per_unit TICKS DIVISOR SCALE: CPU clock ticks as seconds, times SCALE, divided by DIVISOR.
per_unit() { awk -v t="$1" -v d="$2" -v s="$3" -v hz="$hz" 'BEGIN { printf "%.2f", t / hz * s / d }'; }

# run TEST BENCH_ARGS...: one bench run; records its figures and the server CPU time per message
# (user + system, over the whole run). The bench's own warm-up is cut to the least it takes, so that
# the CPU time and the replies cover the same span; the unmeasured run before warmed the server up.
run() {
  local test=$1 out="$tmp/run.tsv" err="$tmp/run.err" before after status=0
  shift
  say "  $test"
  kill -0 "$server_pid" 2>/dev/null || return 0
  before=$(cpu_ticks "$server_pid")
  bench_start $((duration + 60)) "$@" --duration "${duration}s" --warmup 1ms --tsv >"$out" 2>"$err"
  bench_wait || status=$?
  after=$(cpu_ticks "$server_pid" 2>/dev/null) || after=$before
  local mode messages rate mbps p50 p99 p999 mismatches errors
  IFS=$'\t' read -r mode _ _ messages _ rate mbps p50 p99 p999 mismatches errors _ <"$out" || true
  if [ "$status" -ne 0 ] || [ -z "${errors-}" ]; then
    fail "$test" "bench exited with $status; mismatches ${mismatches:-?}, errors ${errors:-?}"
    show_tail "$err"
  fi
  [ -n "${errors-}" ] || return 0
  if [ "$mode" = stream ]; then
    say "$(awk -v m="$mbps" 'BEGIN { printf "    %.1f MB/s", m }')"
    record "$test" "MB/s" "$mbps"
  else
    say "$(awk -v r="$rate" -v p="$p99" 'BEGIN { printf "    %.0f msg/s, p99 %.0f us", r, p }')"
    record "$test" "msg/s" "$rate"
    record "$test" "p50 us" "$p50"
    record "$test" "p99 us" "$p99"
    record "$test" "p999 us" "$p999"
  fi
  if [ "$messages" -gt 0 ]; then
    record "$test" "server CPU us/msg" "$(per_unit $((after - before)) "$messages" 1000000)"
  fi
}

# idle: server RSS per connection and server CPU while the bench holds $idle_connections open.
idle() {
  local test=$idle_test err="$tmp/idle.err" files rss_before rss_after before after
  local results=$idle_results # its rows go last in the table
  say "  $test"
  files=$(open_files "$server_pid")
  rss_before=$(rss_kib "$server_pid")
  # The bench holds them this long once its last one is open; the window starts 1 s after the server
  # has them all.
  bench_start $((duration + 120)) --mode idle --connections "$idle_connections" --duration "$((duration + 5))s" \
    >/dev/null 2>"$err"
  local deadline=$((SECONDS + 60))
  while [ "$(open_files "$server_pid")" -lt $((files + idle_connections)) ]; do
    if ! kill -0 "$bench_pid" 2>/dev/null || ((SECONDS >= deadline)); then
      fail "$test" "the server never held $idle_connections connections"
      show_tail "$err"
      kill -TERM "$bench_pid" 2>/dev/null || true
      bench_wait || true
      return
    fi
    sleep 0.2
  done
  sleep 1 # the burst of accepts settles: idle means nothing happens
  before=$(cpu_ticks "$server_pid")
  sleep "$duration" # the measurement window
  after=$(cpu_ticks "$server_pid")
  rss_after=$(rss_kib "$server_pid")
  if [ "$(open_files "$server_pid")" -lt $((files + idle_connections)) ]; then
    fail "$test" "connections were lost during the window"
  fi
  bench_wait || fail "$test" "bench exited with $?"
  record "$test" "RSS KiB/conn" "$(awk -v d=$((rss_after - rss_before)) -v n="$idle_connections" \
    'BEGIN { printf "%.2f", d / n }')"
  record "$test" "server CPU % of a core" "$(per_unit $((after - before)) "$duration" 100)"
}

started_at=$(date -u '+%Y-%m-%d %H:%M UTC')
for server in "${servers[@]}"; do
  say "${label[$server]}"
  if ! start_server "$server"; then
    fail "start" "did not start"
    show_tail "$tmp/$server.log"
    stop_server
    continue
  fi
  describe_server
  reply=$(ask "$probe") || reply=
  if [ "$reply" != "$probe_reply" ]; then
    fail "probe" "answered '$probe' with '$reply', not '$probe_reply'"
    show_tail "$tmp/$server.log"
    stop_server
    continue
  fi
  # First, on the fresh server, so that the RSS it gains is the connections' and not what load left behind.
  idle
  # Not measured: the runs below then find code compiled (tiered JIT) and buffers pooled.
  bench_start $((warmup + 60)) --mode pipeline --connections 50 --depth 16 --duration "${warmup}s" --warmup 1ms \
    >/dev/null 2>&1
  bench_wait || true
  run "pingpong 1 conn" --mode pingpong --connections 1
  run "pingpong 50 conn" --mode pingpong --connections 50
  run "pingpong 500 conn" --mode pingpong --connections 500
  run "pipeline 16 x 50 conn" --mode pipeline --connections 50 --depth 16
  if [ "$server" != redis ]; then # Redis answers commands, not a stream of bytes
    run "stream 64 KiB x 1 conn" --mode stream --connections 1 --chunk 65536
  fi
  if ! kill -0 "$server_pid" 2>/dev/null; then
    fail "the runs" "the server died"
    show_tail "$tmp/$server.log"
  fi
  stop_server
done

columns=
for server in "${servers[@]}"; do columns+="$server=${label[$server]};"; done
echo
echo "compare.sh: $started_at, $(nproc) cores (nproc), ${duration} s per run; client and servers on this machine"
echo "ratio = figure / reference's (the baseline column): above 1 is better for msg/s and MB/s, worse for the rest"
awk -F'\t' -v columns="$columns" -f "$here/compare-table.awk" "$results" "$idle_results"
if [ ${#failures[@]} -gt 0 ]; then
  echo
  echo "failed:"
  printf '  %s\n' "${failures[@]}"
  exit 1
fi
