#!/usr/bin/env bash
# A fleet on this machine: N PluggableEcho servers (default 3) on loopback, each with its own
# admin endpoint, and HAProxy in front of them with deploy/haproxy/haproxy.cfg.
#
#   deploy/haproxy/fleet.sh [start]   starts the fleet, prints its addresses, runs until Ctrl+C,
#                                     then stops everything it started
#   deploy/haproxy/fleet.sh restart   (from another terminal) a rolling restart of the running
#                                     fleet: each server in turn is drained, taken out by HAProxy,
#                                     stopped, started again and put back, with no client reset
#
# Needs, from a fresh clone: `dotnet build PluggableEcho.sln` (it runs the server that built),
# haproxy (2.6 or newer), openssl, curl and socat.
#
# Settings (environment):
#   FLEET_SIZE      servers, 1 to 9                          3
#   FLEET_DIR       configs, logs, pid files, the certificate /tmp/pluggable-echo-fleet
#   FLEET_PIPELINE  every server's pipeline                  [uppercase]
#   ECHO_LISTEN, ECHO_TLS_LISTEN   HAProxy's addresses       127.0.0.1:8080, 127.0.0.1:8443
#   Server i listens on 127.0.0.1:810i, its admin endpoint on 127.0.0.1:910i.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
server_dll="$root/host/bin/Debug/net10.0/pluggable-echo.dll"
haproxy_cfg="$root/deploy/haproxy/haproxy.cfg"
size=${FLEET_SIZE:-3}
dir=${FLEET_DIR:-/tmp/pluggable-echo-fleet}
pipeline=${FLEET_PIPELINE:-[uppercase]}
export ECHO_LISTEN=${ECHO_LISTEN:-127.0.0.1:8080}
export ECHO_TLS_LISTEN=${ECHO_TLS_LISTEN:-127.0.0.1:8443}
export ECHO_TLS_PEM="$dir/tls.pem"
export ECHO_STATS_SOCKET="$dir/haproxy.sock"
shutdown_timeout=10 # seconds; a stopping server's clients get this long to take their replies

fail() {
  echo "fleet: $*" >&2
  exit 1
}

data_port() { echo $((8100 + $1)); }
admin_port() { echo $((9100 + $1)); }

# Polls a condition (a command) twice a second until it holds, or fails after $1 seconds.
wait_for() {
  local seconds=$1 what=$2
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || fail "$what: not within $seconds s"
    sleep 0.2
  done
}

is_ready() { curl -fsS -o /dev/null "http://127.0.0.1:$(admin_port "$1")/readyz" 2>/dev/null; }

# The status HAProxy gives server echo$1 (UP, DOWN, "UP 1/2", ...), from its runtime API.
haproxy_status() {
  echo "show stat" | socat - "UNIX-CONNECT:$ECHO_STATS_SOCKET" 2>/dev/null |
    awk -F, -v server="echo$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "status") col = i }
      $1 == "pluggable_echo" && $2 == server { print $col }'
}

haproxy_says() { [ "$(haproxy_status "$1")" = "$2" ]; }

is_running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

is_stopped() { ! kill -0 "$1" 2>/dev/null; }

# Starts server $1 in a session of its own, so that Ctrl+C reaches only this script, which then
# stops everything in order.
start_server() {
  setsid dotnet "$server_dll" --config "$dir/echo$1.yaml" >>"$dir/echo$1.log" 2>&1 </dev/null &
  echo $! >"$dir/echo$1.pid"
  wait_for 30 "echo$1 ready (see $dir/echo$1.log)" is_ready "$1"
}

stop_pid_file() {
  local pid_file=$1
  if is_running "$pid_file"; then
    local pid
    pid=$(cat "$pid_file")
    kill -TERM "$pid"
    wait_for $((shutdown_timeout + 5)) "process $pid exit" is_stopped "$pid"
  fi
  rm -f "$pid_file"
}

stop_all() {
  trap - EXIT INT TERM
  echo "fleet: stopping"
  stop_pid_file "$dir/haproxy.pid" || true
  for i in $(seq 1 "$size"); do
    stop_pid_file "$dir/echo$i.pid" || true
  done
}

write_server_config() {
  cat >"$dir/echo$1.yaml" <<YAML
listen: 127.0.0.1:$(data_port "$1")
proxy_protocol: v2 # HAProxy's send-proxy-v2: the client's address, not HAProxy's
admin: { listen: 127.0.0.1:$(admin_port "$1") }
pipeline: $pipeline
limits: { shutdown_timeout: ${shutdown_timeout}s }
YAML
}

# The shipped config names three servers; another size gets a copy with one server line each.
haproxy_config() {
  if [ "$size" -eq 3 ]; then
    echo "$haproxy_cfg"
    return
  fi
  grep -v '^ *server echo[0-9]' "$haproxy_cfg" >"$dir/haproxy.cfg" # The backend is the last section.
  for i in $(seq 1 "$size"); do
    echo "    server echo$i 127.0.0.1:$(data_port "$i") check port $(admin_port "$i")" >>"$dir/haproxy.cfg"
  done
  echo "$dir/haproxy.cfg"
}

start() {
  [ -f "$server_dll" ] || fail "$server_dll is missing: run dotnet build PluggableEcho.sln first"
  for tool in haproxy openssl curl socat; do
    command -v "$tool" >/dev/null || fail "$tool is needed (Debian: apt-get install $tool)"
  done
  [[ $size =~ ^[1-9]$ ]] || fail "FLEET_SIZE must be 1 to 9, not '$size'"
  ! is_running "$dir/haproxy.pid" || fail "a fleet already runs in $dir (pid $(cat "$dir/haproxy.pid"))"

  mkdir -p "$dir"
  rm -f "$dir"/*.log
  echo "$size" >"$dir/size"
  trap stop_all EXIT
  trap 'exit 130' INT TERM

  # A self-signed certificate for HAProxy's TLS address; clients are told not to check it.
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 -subj /CN=localhost \
    -keyout "$dir/tls.key" -out "$dir/tls.crt" 2>/dev/null
  cat "$dir/tls.crt" "$dir/tls.key" >"$ECHO_TLS_PEM"

  for i in $(seq 1 "$size"); do
    write_server_config "$i"
    export "ECHO_BACKEND$i=127.0.0.1:$(data_port "$i")" "ECHO_ADMIN$i=$(admin_port "$i")"
    start_server "$i"
  done

  setsid haproxy -f "$(haproxy_config)" -db >"$dir/haproxy.log" 2>&1 </dev/null &
  echo $! >"$dir/haproxy.pid"
  for i in $(seq 1 "$size"); do
    wait_for 10 "HAProxy to see echo$i up (see $dir/haproxy.log)" haproxy_says "$i" UP
  done

  echo "fleet: $size servers behind HAProxy"
  for i in $(seq 1 "$size"); do
    echo "  echo$i  127.0.0.1:$(data_port "$i")  admin http://127.0.0.1:$(admin_port "$i")  log $dir/echo$i.log"
  done
  echo "  clients:  $ECHO_LISTEN   (nc ${ECHO_LISTEN/:/ })"
  echo "  TLS:      $ECHO_TLS_LISTEN   (openssl s_client -quiet -connect $ECHO_TLS_LISTEN)"
  echo "  HAProxy:  echo 'show stat' | socat - UNIX-CONNECT:$ECHO_STATS_SOCKET"
  echo "fleet: Ctrl+C stops it; '$0 restart' restarts the servers one by one"
  while is_running "$dir/haproxy.pid"; do
    wait || true # Returns at a signal, whose trap then stops the fleet; or when a child exits.
  done
  fail "HAProxy exited (see $dir/haproxy.log)"
}

restart() {
  [ -f "$dir/size" ] && is_running "$dir/haproxy.pid" || fail "no fleet runs in $dir: start one with $0"
  size=$(cat "$dir/size")
  for i in $(seq 1 "$size"); do
    if is_running "$dir/echo$i.pid"; then
      echo "fleet: echo$i: drain"
      curl -fsS -o /dev/null -X POST "http://127.0.0.1:$(admin_port "$i")/drain"
      # No new client reaches it once HAProxy has it down; its clients are still served.
      wait_for 10 "HAProxy to take echo$i out" haproxy_says "$i" DOWN
      echo "fleet: echo$i: down in HAProxy; stop (each client gets its replies, then an end)"
      stop_pid_file "$dir/echo$i.pid"
    fi
    start_server "$i"
    wait_for 10 "HAProxy to put echo$i back" haproxy_says "$i" UP
    echo "fleet: echo$i: restarted and up"
  done
}

case ${1:-start} in
  start) start ;;
  restart) restart ;;
  *) fail "usage: $0 [start | restart]" ;;
esac
