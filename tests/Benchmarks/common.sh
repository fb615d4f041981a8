# What the A/B scripts share (ab.sh, loops.sh, syscalls.sh): building a commit beside the working
# tree, and starting a server on a free loopback port. Sourced, not run; the caller sets $tmp.

# build_side BASE: builds the working tree and BASE (in a worktree under $tmp), Release; sets a_dll
# (BASE's server) and b_dll (this tree's). remove_side undoes the worktree.
build_side() {
  git rev-parse --verify -q "$1^{commit}" >/dev/null || { echo "error: $1 is not a commit" >&2; exit 1; }
  echo "building A ($(git rev-parse --short "$1")) and B (this tree), Release" >&2
  git worktree add -q --detach "$tmp/a" "$1"
  (cd "$tmp/a" && dotnet build -c Release host) >"$tmp/build-a.log" 2>&1 || { cat "$tmp/build-a.log" >&2; exit 1; }
  dotnet build -c Release host >"$tmp/build-b.log" 2>&1 || { cat "$tmp/build-b.log" >&2; exit 1; }
  a_dll=$tmp/a/host/bin/Release/net10.0/pluggable-echo.dll
  b_dll=$PWD/host/bin/Release/net10.0/pluggable-echo.dll
}
remove_side() { git worktree remove --force "$tmp/a" 2>/dev/null || true; }

# start_server COMMAND...: runs the server COMMAND (given --listen 127.0.0.1:0) in the background,
# its output in $tmp/server.log; sets server_pid, and server_port once it listens (10 s at most).
start_server() {
  local log=$tmp/server.log
  "$@" >"$log" 2>&1 &
  server_pid=$!
  server_port=''
  for _ in $(seq 200); do
    server_port=$(grep -aoE 'listening on 127\.0\.0\.1:[0-9]+' "$log" | head -1 | cut -d: -f2) && [ -n "$server_port" ] && return 0
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.05
  done
  echo "error: the server did not start" >&2
  cat "$log" >&2
  exit 1
}

# stop_server: SIGTERM, and waits for it.
stop_server() {
  [ -n "${server_pid-}" ] || return 0
  kill -TERM "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=''
}
