#!/usr/bin/env bash
# Bystander latency during an attack: how much do requests to routes that run no blocking user code suffer while an
# attacker keeps requests in flight against routes whose CORS user code blocks? A benchmark, not a test: it reports
# figures and passes or fails nothing (it fails only when a server does not answer as it should before loading).
#
#   bench/bystander.sh [--duration SECONDS] [--connections N] [--attackers N] [--hang-ms MS] [--attack-pause-ms MS]
#     defaults: 4 s per measurement, 4 wrk connections per bystander route, 40 attackers, hang 30,000 ms, each
#     attacker connection pausing 100 ms before each request (so at most 400 attacks/s once they are answered at
#     once: the figures are about blocking, not about sharing the CPU with a flood; 0 = no pause); about 2 minutes.
#   bench/bystander.sh --hang-ms 1   the reference: the same attack on user code that does not block.
#
# The server is bench/CorsKit.E2eHost --mode bystander (see BystanderApp.cs) on 127.0.0.1:
#   /plain (no CORS) and /static (a static policy): the bystanders, loaded by wrk with the app's Origin;
#   /hang/predicate: an origin predicate that blocks for --hang-ms (every distinct unknown origin is a new hang);
#   /hang/provider: a policy provider that blocks the request's thread for --hang-ms for unknown origins.
# Phases, each on a freshly started server (blocked threads from one phase must not leak into the next), stopped by
# its pid at the end of the phase:
#   alone             both bystander routes measured at the same time for --duration seconds, nothing else running;
#   attack            the same while wrk (bench/e2e/attack.lua) keeps --attackers requests in flight against both
#                     hanging routes in turn, each with an Origin never used before; measured after a 2 s ramp;
#   attack-predicate  the same, all attackers on /hang/predicate;
#   attack-provider   the same, all attackers on /hang/provider.
# Writes artifacts/bench/bystander.json:
#   [{route, phase, role, p50Ms, p99Ms, requestsPerSecond, requests, errors, connections, probeMs, serverThreads}]
# role is bystander or attacker (route then lists the attacked routes); errors = socket errors (timeouts included) +
# responses that are not 2xx/3xx; serverThreads = the server's thread count (/proc/<pid>/status) when the window ends.
# Caveat: wrk reports only requests that completed within the window. A bystander request still waiting when the
# window closes is in neither p50 nor p99 (null when none completed), so a stalled route shows as few requests, not
# as a high p99. Hence probeMs: one curl request to the route sent as the window opens, beside wrk, and how long it
# took to be answered (null if it was not answered within --duration + 15 s).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

duration=4
connections=4
attackers=40
hang_ms=30000
attack_pause_ms=100
ramp=2
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --attackers) attackers="$2"; shift 2 ;;
    --hang-ms) hang_ms="$2"; shift 2 ;;
    --attack-pause-ms) attack_pause_ms="$2"; shift 2 ;;
    -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
    *) echo "usage: bench/bystander.sh [--duration SECONDS] [--connections N] [--attackers N] [--hang-ms MS] [--attack-pause-ms MS]" >&2; exit 2 ;;
  esac
done

export DEBIAN_FRONTEND=noninteractive DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if ! command -v wrk >/dev/null 2>&1; then
  echo "bystander: installing wrk"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends wrk >/dev/null
fi

out=artifacts/bench
logs="$PWD/$out/bystander-logs"
mkdir -p "$logs"
results="$logs/results.tsv"
: > "$results"

dotnet build bench/CorsKit.E2eHost/CorsKit.E2eHost.csproj -c Release -nologo -v quiet
host_dll=bench/CorsKit.E2eHost/bin/Release/net10.0/CorsKit.E2eHost.dll

server_pid=""
attacker_pid=""
bystander_pids=()
stop_all() {
  local pid
  for pid in "${bystander_pids[@]}"; do stop_pid "$pid"; done
  bystander_pids=()
  stop_pid "$attacker_pid"
  attacker_pid=""
  stop_pid "$server_pid"
  server_pid=""
}
trap stop_all EXIT INT TERM

start_server() {
  local port="$1" phase="$2"
  dotnet "$host_dll" --mode bystander --hang-ms "$hang_ms" --urls "http://127.0.0.1:$port" >"$logs/$phase.log" 2>&1 &
  server_pid=$!
  wait_until_serving "bystander: the server" "$server_pid" "http://127.0.0.1:$port/plain" "$logs/$phase.log"
}

# One request from the app's origin: "<status> <1 if Access-Control-Allow-Origin came back>".
probe() {
  curl -s -o /dev/null -D - --max-time 5 -H 'Origin: https://app.example.com' "http://127.0.0.1:$1$2" | tr -d '\r' |
    awk 'NR == 1 { status = $2 } tolower($1) == "access-control-allow-origin:" { cors = 1 } END { printf "%s %d\n", status, cors }'
}

# Before loading: each route answers the app's origin as it should (this also runs every route once: JIT).
check_routes() {
  local port="$1" route expected got
  for route in /plain:0 /static:1 /hang/predicate:1 /hang/provider:1; do
    expected="200 ${route#*:}"
    got=$(probe "$port" "${route%%:*}")
    if [ "$got" != "$expected" ]; then
      echo "bystander: GET ${route%%:*} from the app origin gave '$got' (status, CORS header), expected '$expected'" >&2
      exit 1
    fi
  done
}

# wrk on one bystander route for $2 seconds; its E2E_RESULT line goes to file $4. Timeout past the window, so any
# request that completes within it has its latency recorded.
bystander_wrk() {
  local port="$1" seconds="$2" path="$3" file="$4"
  E2E_METHOD=GET E2E_PATH="$path" timeout $((seconds + 30)) wrk -t1 -c"$connections" -d"${seconds}s" --timeout 60s \
    -s bench/e2e/scenario.lua "http://127.0.0.1:$port" | grep '^E2E_RESULT' >"$file" || true
}

# One request to a bystander route as the window opens: "<status> <seconds>" into file $3 (status 000: no answer).
bystander_probe() {
  local port="$1" path="$2" file="$3"
  curl -s -o /dev/null -w '%{http_code} %{time_total}\n' --max-time $((duration + 15)) -H 'Origin: https://app.example.com' \
    "http://127.0.0.1:$port$path" >"$file" || true
}

record() {
  local phase="$1" role="$2" route="$3" conns="$4" threads="$5" file="$6" probe_file="${7:-}" line probe
  line=$(cat "$file" 2>/dev/null || true)
  [ -n "$line" ] || line="E2E_RESULT requests=0 duration_us=0 p50_us=0 p90_us=0 p99_us=0 socket_errors=0 non_2xx=0"
  probe=$(cat "$probe_file" 2>/dev/null || true)
  read -r probe_status probe_seconds <<<"${probe:-000 0}"
  line="$line probe_status=${probe_status:-000} probe_s=${probe_seconds:-0}"
  echo "  $phase $role $route: $line"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$phase" "$role" "$route" "$conns" "$threads" "$line" >>"$results"
}

run_phase() {
  local phase="$1" attack_paths="$2" port threads=""
  port=$(free_port)
  echo "bystander: phase $phase on 127.0.0.1:$port"
  start_server "$port" "$phase"
  check_routes "$port"
  # Warm-up of the bystander routes (JIT, connections), not recorded.
  bystander_wrk "$port" 2 /plain /dev/null
  bystander_wrk "$port" 2 /static /dev/null

  if [ -n "$attack_paths" ]; then
    ATTACK_PATHS="$attack_paths" ATTACK_PAUSE_MS="$attack_pause_ms" timeout $((ramp + duration + 20)) wrk -t1 -c"$attackers" -d"$((ramp + duration + 1))s" \
      --timeout 60s -s bench/e2e/attack.lua "http://127.0.0.1:$port" >"$logs/$phase.attacker" 2>&1 &
    attacker_pid=$!
    sleep "$ramp"
  fi

  local route
  for route in plain static; do
    bystander_wrk "$port" "$duration" "/$route" "$logs/$phase.$route" &
    bystander_pids+=($!)
    bystander_probe "$port" "/$route" "$logs/$phase.$route.probe" &
    bystander_pids+=($!)
  done
  sleep "$duration"
  threads=$(awk '/^Threads:/ { print $2 }' "/proc/$server_pid/status" 2>/dev/null || echo "")
  for pid in "${bystander_pids[@]}"; do wait "$pid" || true; done
  bystander_pids=()

  if [ -n "$attacker_pid" ]; then
    wait "$attacker_pid" || true
    attacker_pid=""
    grep '^E2E_RESULT' "$logs/$phase.attacker" >"$logs/$phase.attacker.result" || true
    record "$phase" attacker "$attack_paths" "$attackers" "$threads" "$logs/$phase.attacker.result"
  fi
  record "$phase" bystander /plain "$connections" "$threads" "$logs/$phase.plain" "$logs/$phase.plain.probe"
  record "$phase" bystander /static "$connections" "$threads" "$logs/$phase.static" "$logs/$phase.static.probe"
  stop_pid "$server_pid"
  server_pid=""
}

run_phase alone ""
run_phase attack /hang/predicate,/hang/provider
run_phase attack-predicate /hang/predicate
run_phase attack-provider /hang/provider

/usr/bin/python3 - "$results" "$out/bystander.json" <<'PY'
import json, sys
rows = []
for line in open(sys.argv[1], encoding="utf-8"):
    phase, role, route, conns, threads, result = line.rstrip("\n").split("\t")
    f = dict(kv.split("=") for kv in result.split()[1:])
    requests, seconds = int(f["requests"]), int(f["duration_us"]) / 1e6
    rows.append({
        "route": route,
        "phase": phase,
        "role": role,
        # Latencies of the requests that completed within the window; none completed: null.
        "p50Ms": int(f["p50_us"]) / 1000 if requests else None,
        "p99Ms": int(f["p99_us"]) / 1000 if requests else None,
        "requestsPerSecond": round(requests / seconds, 1) if seconds else 0.0,
        "requests": requests,
        "errors": int(f["socket_errors"]) + int(f["non_2xx"]),
        "connections": int(conns),
        # One request sent as the window opened, beside wrk: how long until it was answered (null: not answered).
        "probeMs": round(float(f["probe_s"]) * 1000, 1) if role == "bystander" and f["probe_status"] != "000" else None,
        "serverThreads": int(threads) if threads else None,
    })
with open(sys.argv[2], "w", encoding="utf-8") as out:
    json.dump(rows, out, indent=2)
    out.write("\n")
ms = lambda v: "-" if v is None else f"{v:,.2f}"
print(f"{'phase':17} {'role':9} {'route':32} {'p50 ms':>9} {'p99 ms':>9} {'req/s':>9} {'errors':>7} {'probe ms':>9} {'threads':>8}")
for r in rows:
    probe = ms(r["probeMs"]) if r["role"] == "bystander" and r["probeMs"] is not None else ("no answer" if r["role"] == "bystander" else "")
    print(f"{r['phase']:17} {r['role']:9} {r['route']:32} {ms(r['p50Ms']):>9} {ms(r['p99Ms']):>9} "
          f"{r['requestsPerSecond']:>9,.0f} {r['errors']:>7} {probe:>9} {r['serverThreads'] if r['serverThreads'] is not None else '-':>8}")
print(f"wrote {sys.argv[2]}")
PY
