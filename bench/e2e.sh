#!/usr/bin/env bash
# End to end: real servers on 127.0.0.1 under wrk, one at a time:
#   none | microsoft | corskit  bench/CorsKit.E2eHost on Kestrel (no CORS, Microsoft's CORS, CorsKit)
#   flask                       bench/e2e/flask_app.py (Flask + flask-cors) under gunicorn, /usr/bin/python3
# Scenarios: simple allowed GET, allowed preflight, the 500 error route.
#   bench/e2e.sh [--duration SECONDS] [--rounds N] [--connections N]   (defaults: 5 s, 3 rounds, 32 connections;
#                                                                        about 4 minutes)
# All four servers run side by side (idle unless loaded); each round runs every scenario against every server in
# turn, so slow drifts of a shared machine hit all servers alike. Reported: the median round per server and scenario.
# Installs what is missing (wrk, python3-flask, python3-flask-cors, gunicorn), starts and stops only the servers it
# started (by pid), and writes artifacts/bench/e2e.json:
#   [{server, scenario, requestsPerSecond, p50Ms, p90Ms, p99Ms, errors, corsHeaders, rounds}]
# errors = socket errors + responses whose status is not the one this server should give, over all rounds;
# corsHeaders = whether the response carries Access-Control-Allow-Origin (checked with curl before loading).
set -euo pipefail
cd "$(dirname "$0")/.."

duration=5
rounds=3
connections=32
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    *) echo "usage: bench/e2e.sh [--duration SECONDS] [--rounds N] [--connections N]" >&2; exit 2 ;;
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

declare -A pids ports
stop_servers() {
  local pid
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  pids=()
}
trap stop_servers EXIT INT TERM

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
  pids[$server]=$!
  for _ in $(seq 150); do
    if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/items"; then return 0; fi
    kill -0 "${pids[$server]}" 2>/dev/null || { echo "e2e: $server exited; see $logs/$server.log" >&2; return 1; }
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
  local port="$1" method="$2" path="$3" seconds="$4"
  E2E_METHOD="$method" E2E_PATH="$path" \
    timeout $((seconds + 30)) wrk -t1 -c"$connections" -d"${seconds}s" --timeout 5s -s bench/e2e/scenario.lua \
    "http://127.0.0.1:$port" | grep '^E2E_RESULT'
}

# One request with curl: the status and whether Access-Control-Allow-Origin came back ("200 1").
probe() {
  local port="$1" method="$2" path="$3" extra=()
  if [ "$method" = OPTIONS ]; then
    extra=(-H 'Access-Control-Request-Method: PUT' -H 'Access-Control-Request-Headers: content-type,x-token')
  fi
  curl -s -o /dev/null -D - --max-time 5 -X "$method" -H 'Origin: https://app.example.com' "${extra[@]}" \
    "http://127.0.0.1:$port$path" | tr -d '\r' | awk 'NR == 1 { status = $2 } tolower($1) == "access-control-allow-origin:" { cors = 1 }
      END { printf "%s %d\n", status, cors }'
}

servers=(none microsoft corskit flask)
for server in "${servers[@]}"; do
  ports[$server]=$(free_port)
  echo "e2e: $server on 127.0.0.1:${ports[$server]}"
  start_server "$server" "${ports[$server]}"
  run_wrk "${ports[$server]}" GET /items 3 >/dev/null   # warm-up (JIT, connection pools), not recorded
done

request_of() {
  case "$1" in
    simple) echo "GET /items" ;;
    preflight) echo "OPTIONS /items" ;;
    error) echo "GET /error" ;;
  esac
}

# Before loading: each server gives each scenario the status it should, and whether CORS headers come with it.
declare -A cors
for scenario in simple preflight error; do
  read -r method path <<<"$(request_of "$scenario")"
  for server in "${servers[@]}"; do
    read -r status has_cors <<<"$(probe "${ports[$server]}" "$method" "$path")"
    expected=$(expected_status "$server" "$scenario")
    if [ "$status" != "$expected" ]; then
      echo "e2e: $server answered $method $path with $status, expected $expected" >&2
      exit 1
    fi
    cors[$server/$scenario]=$has_cors
  done
done

for round in $(seq "$rounds"); do
  for scenario in simple preflight error; do
    read -r method path <<<"$(request_of "$scenario")"
    for server in "${servers[@]}"; do
      line=$(run_wrk "${ports[$server]}" "$method" "$path" "$duration")
      echo "  round $round $scenario $server: $line"
      printf '%s\t%s\t%s\t%s\t%s\n' "$server" "$scenario" "$(expected_status "$server" "$scenario")" "${cors[$server/$scenario]}" "$line" >>"$results"
    done
  done
done
stop_servers

/usr/bin/python3 - "$results" "$out/e2e.json" <<'PY'
import json, statistics, sys
runs = {}
for line in open(sys.argv[1], encoding="utf-8"):
    server, scenario, expected, has_cors, result = line.rstrip("\n").split("\t")
    f = dict(kv.split("=") for kv in result.split()[1:])
    requests, seconds = int(f["requests"]), int(f["duration_us"]) / 1e6
    # wrk counts non-2xx/3xx responses: for a scenario that should fail (500, 405) every response is one.
    non_2xx = int(f["non_2xx"])
    unexpected = non_2xx if int(expected) < 400 else requests - non_2xx
    runs.setdefault((server, scenario), []).append({
        "requestsPerSecond": requests / seconds,
        "p50Ms": int(f["p50_us"]) / 1000,
        "p90Ms": int(f["p90_us"]) / 1000,
        "p99Ms": int(f["p99_us"]) / 1000,
        "errors": int(f["socket_errors"]) + unexpected,
        "corsHeaders": has_cors == "1",
    })
rows = []
for (server, scenario), rs in runs.items():
    median = lambda key: round(statistics.median(r[key] for r in rs), 3)
    rows.append({
        "server": server,
        "scenario": scenario,
        "requestsPerSecond": round(statistics.median(r["requestsPerSecond"] for r in rs), 1),
        "p50Ms": median("p50Ms"),
        "p90Ms": median("p90Ms"),
        "p99Ms": median("p99Ms"),
        "errors": sum(r["errors"] for r in rs),
        "corsHeaders": rs[0]["corsHeaders"],
        "rounds": [round(r["requestsPerSecond"], 1) for r in rs],
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
        print(f"{scenario:10} {server:10} {r['requestsPerSecond']:>10,.0f} {r['p99Ms']:>8.2f} {r['errors']:>7} {'yes' if r['corsHeaders'] else 'no':>5}  {vs(none):>7}  {vs(ms):>11}")
print(f"wrote {sys.argv[2]}")
PY
