#!/usr/bin/env bash
# End to end: real servers on 127.0.0.1 under wrk, one at a time:
#   none | microsoft | corskit  bench/CorsKit.E2eHost on Kestrel (no CORS, Microsoft's CORS, CorsKit)
#   flask                       bench/e2e/flask_app.py (Flask + flask-cors) under gunicorn, /usr/bin/python3
# Scenarios: simple allowed GET, allowed preflight, the 500 error route.
#   bench/e2e.sh [--duration SECONDS] [--connections N]     (defaults: 10 s, 32 connections; about 3 minutes)
# Installs what is missing (wrk, python3-flask, python3-flask-cors, gunicorn), starts and stops only the servers it
# started (by pid), and writes artifacts/bench/e2e.json:
#   [{server, scenario, requestsPerSecond, p50Ms, p90Ms, p99Ms, errors, corsHeaders}]
# errors = socket errors + responses whose status is not the one this server should give; corsHeaders = the share of
# responses that carried Access-Control-Allow-Origin.
set -euo pipefail
cd "$(dirname "$0")/.."

duration=10
connections=32
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    *) echo "usage: bench/e2e.sh [--duration SECONDS] [--connections N]" >&2; exit 2 ;;
  esac
done

export DEBIAN_FRONTEND=noninteractive DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
missing=()
for p in wrk python3-flask python3-flask-cors gunicorn; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "e2e: installing ${missing[*]}"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

out=artifacts/bench
logs="$PWD/$out/e2e-logs"
mkdir -p "$logs"
results="$logs/results.tsv"
: > "$results"

dotnet build bench/CorsKit.E2eHost/CorsKit.E2eHost.csproj -c Release -nologo -v quiet
host_dll=bench/CorsKit.E2eHost/bin/Release/net10.0/CorsKit.E2eHost.dll

server_pid=""
stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}
trap stop_server EXIT INT TERM

free_port() {
  /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start_server() {
  local server="$1" port="$2"
  case "$server" in
    flask)
      # gunicorn's usual worker count for this machine: 2 x cores + 1 sync workers.
      /usr/bin/python3 -m gunicorn --bind "127.0.0.1:$port" --workers $((2 * $(nproc) + 1)) \
        --chdir bench/e2e --error-logfile "$logs/flask.log" flask_app:app >>"$logs/flask.log" 2>&1 &
      ;;
    *)
      dotnet "$host_dll" --mode "$server" --urls "http://127.0.0.1:$port" >"$logs/$server.log" 2>&1 &
      ;;
  esac
  server_pid=$!
  for _ in $(seq 150); do
    if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/items"; then return 0; fi
    kill -0 "$server_pid" 2>/dev/null || { echo "e2e: $server exited; see $logs/$server.log" >&2; return 1; }
    sleep 0.2
  done
  echo "e2e: $server did not answer within 30 s" >&2
  return 1
}

# The status each server should give: a preflight without CORS is a 405, Flask answers OPTIONS with 200.
expected_status() {
  case "$1/$2" in
    */simple) echo 200 ;;
    */error) echo 500 ;;
    none/preflight) echo 405 ;;
    flask/preflight) echo 200 ;;
    */preflight) echo 204 ;;
  esac
}

run_wrk() {
  local port="$1" method="$2" path="$3" status="$4" seconds="$5"
  E2E_METHOD="$method" E2E_PATH="$path" E2E_STATUS="$status" \
    timeout $((seconds + 30)) wrk -t1 -c"$connections" -d"${seconds}s" --timeout 5s -s bench/e2e/scenario.lua \
    "http://127.0.0.1:$port" | grep '^E2E_RESULT'
}

for server in none microsoft corskit flask; do
  port=$(free_port)
  echo "e2e: $server on 127.0.0.1:$port"
  start_server "$server" "$port"
  run_wrk "$port" GET /items 200 2 >/dev/null   # warm-up (JIT, connection pools), not recorded
  for scenario in simple preflight error; do
    case "$scenario" in
      simple) method=GET; path=/items ;;
      preflight) method=OPTIONS; path=/items ;;
      error) method=GET; path=/error ;;
    esac
    line=$(run_wrk "$port" "$method" "$path" "$(expected_status "$server" "$scenario")" "$duration")
    echo "  $scenario: $line"
    printf '%s\t%s\t%s\n' "$server" "$scenario" "$line" >>"$results"
  done
  stop_server
done

/usr/bin/python3 - "$results" "$out/e2e.json" <<'PY'
import json, sys
rows = []
for line in open(sys.argv[1], encoding="utf-8"):
    server, scenario, result = line.rstrip("\n").split("\t")
    f = dict(kv.split("=") for kv in result.split()[1:])
    requests, seconds = int(f["requests"]), int(f["duration_us"]) / 1e6
    rows.append({
        "server": server,
        "scenario": scenario,
        "requestsPerSecond": round(requests / seconds, 1),
        "p50Ms": round(int(f["p50_us"]) / 1000, 3),
        "p90Ms": round(int(f["p90_us"]) / 1000, 3),
        "p99Ms": round(int(f["p99_us"]) / 1000, 3),
        "errors": int(f["socket_errors"]) + int(f["unexpected_status"]),
        "corsHeaders": round(int(f["with_cors"]) / requests, 3) if requests else 0,
    })
with open(sys.argv[2], "w", encoding="utf-8") as out:
    json.dump(rows, out, indent=2)
    out.write("\n")
by = {(r["server"], r["scenario"]): r for r in rows}
print(f"{'scenario':10} {'server':10} {'req/s':>10} {'p99 ms':>8} {'errors':>7} {'cors':>5}  vs none  vs microsoft")
for scenario in ("simple", "preflight", "error"):
    for server in ("none", "microsoft", "corskit", "flask"):
        r = by.get((server, scenario))
        if not r:
            continue
        none, ms = by.get(("none", scenario)), by.get(("microsoft", scenario))
        vs = lambda b: f"{r['requestsPerSecond'] / b['requestsPerSecond']:.2f}x" if b and b["requestsPerSecond"] else "-"
        print(f"{scenario:10} {server:10} {r['requestsPerSecond']:>10,.0f} {r['p99Ms']:>8.2f} {r['errors']:>7} {r['corsHeaders']:>5.2f}  {vs(none):>7}  {vs(ms):>11}")
print(f"wrote {sys.argv[2]}")
PY
