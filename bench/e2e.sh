#!/usr/bin/env bash
# End to end: real servers on 127.0.0.1 under wrk, one at a time:
#   none | microsoft | corskit  bench/CorsKit.E2eHost on Kestrel (no CORS, Microsoft's CORS, CorsKit)
#   flask                       bench/e2e/flask_app.py (Flask + flask-cors) under gunicorn, /usr/bin/python3
# Scenarios: simple allowed GET, allowed preflight, the 500 error route.
#   bench/e2e.sh [--duration SECONDS] [--rounds N] [--connections N]   (defaults: 5 s, 3 rounds, 32 connections;
#                                                                        about 4 minutes)
# All four servers run side by side (idle unless loaded); each round runs every scenario against every server in
# turn, so slow drifts of a shared machine hit all servers alike. The first round is a warm-up and is discarded (so
# --rounds must be at least 2); reported: the median of the kept rounds per server and scenario.
# Server CPU time per request: the server's own utime+stime (/proc/<pid>/stat, clock ticks of `getconf CLK_TCK`;
# for gunicorn the master plus its workers) read right before and right after each wrk run, divided by the requests
# wrk completed. wrk is another process, so its CPU is not in it. Requests/s on a shared 2-core machine swings by
# +-20% between rounds (wrk and the server take turns on the cores); CPU time per request is what the server spent.
# Installs what is missing (wrk, python3-flask, python3-flask-cors, gunicorn), starts and stops only the servers it
# started (by pid), and writes artifacts/bench/e2e.json:
#   [{server, scenario, requestsPerSecond, p50Ms, p90Ms, p99Ms, cpuUsPerRequest, cpuVsMicrosoft, errors, corsHeaders,
#     rounds, cpuUsRounds}]
# rounds / cpuUsRounds: requests/s and CPU µs per request of every round, the discarded first one included.
# errors = socket errors + responses whose status is not the one this server should give, over all rounds;
# corsHeaders = whether the response carries Access-Control-Allow-Origin (checked with curl before loading).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

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
if [ "$rounds" -lt 2 ]; then
  echo "e2e: --rounds must be at least 2 (the first round is a warm-up and is discarded)" >&2
  exit 2
fi

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
    kill -TERM "$pid" 2>/dev/null || true # all at once, then each waited for
  done
  for pid in "${pids[@]}"; do stop_pid "$pid"; done
  pids=()
}
trap stop_servers EXIT INT TERM

clock_ticks=$(getconf CLK_TCK)

# CPU time (user + system, in clock ticks) the server process has used so far: field 14 + 15 of /proc/<pid>/stat,
# read after the command name (which may contain spaces). gunicorn serves from worker processes, so its workers
# (the master's children) are added; the Kestrel hosts are one process.
cpu_ticks() {
  local pid="$1" total=0 p ticks
  for p in "$pid" $(pgrep -P "$pid" || true); do
    ticks=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$p/stat" 2>/dev/null) || continue
    total=$((total + ${ticks:-0}))
  done
  echo "$total"
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
  wait_until_serving "e2e: $server" "${pids[$server]}" "http://127.0.0.1:$port/items" "$logs/$server.log"
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
      cpu_before=$(cpu_ticks "${pids[$server]}")
      line=$(run_wrk "${ports[$server]}" "$method" "$path" "$duration")
      cpu_after=$(cpu_ticks "${pids[$server]}")
      line="$line cpu_ticks=$((cpu_after - cpu_before)) clk_tck=$clock_ticks round=$round"
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
        "round": int(f["round"]),
        "requestsPerSecond": requests / seconds,
        "p50Ms": int(f["p50_us"]) / 1000,
        "p90Ms": int(f["p90_us"]) / 1000,
        "p99Ms": int(f["p99_us"]) / 1000,
        # The server's CPU time over the run (clock ticks) per completed request, in microseconds.
        "cpuUsPerRequest": int(f["cpu_ticks"]) * 1e6 / int(f["clk_tck"]) / requests if requests else None,
        "errors": int(f["socket_errors"]) + unexpected,
        "corsHeaders": has_cors == "1",
    })
rows = []
for (server, scenario), rs in runs.items():
    kept = [r for r in rs if r["round"] > 1]  # round 1 is the warm-up
    median = lambda key, digits=3: round(statistics.median(r[key] for r in kept), digits)
    cpu = [r["cpuUsPerRequest"] for r in kept if r["cpuUsPerRequest"] is not None]
    rows.append({
        "server": server,
        "scenario": scenario,
        "requestsPerSecond": median("requestsPerSecond", 1),
        "p50Ms": median("p50Ms"),
        "p90Ms": median("p90Ms"),
        "p99Ms": median("p99Ms"),
        "cpuUsPerRequest": round(statistics.median(cpu), 2) if cpu else None,
        "errors": sum(r["errors"] for r in rs),
        "corsHeaders": rs[0]["corsHeaders"],
        "keptRounds": len(kept),
        "rounds": [round(r["requestsPerSecond"], 1) for r in rs],
        "cpuUsRounds": [None if r["cpuUsPerRequest"] is None else round(r["cpuUsPerRequest"], 2) for r in rs],
    })
by = {(r["server"], r["scenario"]): r for r in rows}
for r in rows:
    ms = by.get(("microsoft", r["scenario"]))
    r["cpuVsMicrosoft"] = round(r["cpuUsPerRequest"] / ms["cpuUsPerRequest"], 3) \
        if ms and ms["cpuUsPerRequest"] and r["cpuUsPerRequest"] is not None else None
with open(sys.argv[2], "w", encoding="utf-8") as out:
    json.dump(rows, out, indent=2)
    out.write("\n")
print(f"medians of {rows[0]['keptRounds']} kept rounds (round 1 discarded as warm-up)")
print(f"{'scenario':10} {'server':10} {'req/s':>10} {'p99 ms':>8} {'cpu us/req':>11} {'errors':>7} {'cors':>5}"
      f"  rps vs none  rps vs ms  cpu vs none  cpu vs ms")
for scenario in ("simple", "preflight", "error"):
    for server in ("none", "microsoft", "corskit", "flask"):
        r = by.get((server, scenario))
        if not r:
            continue
        none, ms = by.get(("none", scenario)), by.get(("microsoft", scenario))
        def vs(b, key):
            return f"{r[key] / b[key]:.2f}x" if b and b[key] and r[key] is not None else "-"
        cpu = "-" if r["cpuUsPerRequest"] is None else f"{r['cpuUsPerRequest']:.1f}"
        print(f"{scenario:10} {server:10} {r['requestsPerSecond']:>10,.0f} {r['p99Ms']:>8.2f} {cpu:>11} {r['errors']:>7}"
              f" {'yes' if r['corsHeaders'] else 'no':>5}  {vs(none, 'requestsPerSecond'):>11}  {vs(ms, 'requestsPerSecond'):>9}"
              f"  {vs(none, 'cpuUsPerRequest'):>11}  {vs(ms, 'cpuUsPerRequest'):>9}")
print(f"wrote {sys.argv[2]}")
PY
