# Shared by bench/e2e.sh and bench/bystander.sh (sourced): servers on 127.0.0.1, started and stopped by their pid.

# A free TCP port on 127.0.0.1.
free_port() {
  /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Stops one process by its pid: TERM, up to 5 s to end, then KILL. An empty pid is nothing to stop.
stop_pid() {
  local pid="$1"
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# wait_until_serving NAME PID URL LOG: polls URL until it answers (at most 30 s); fails at once if the process exits.
wait_until_serving() {
  local name="$1" pid="$2" url="$3" log="$4"
  for _ in $(seq 150); do
    if curl -s -o /dev/null --max-time 1 "$url"; then return 0; fi
    kill -0 "$pid" 2>/dev/null || { echo "$name exited; see $log" >&2; return 1; }
    sleep 0.2
  done
  echo "$name did not answer within 30 s" >&2
  return 1
}
