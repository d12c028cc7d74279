#!/usr/bin/env bash
# Scale-out measurement (not a test; no timing is ever asserted): 3 demo instances (Kestrel) and one redis-server, all on
# 127.0.0.1 and free ports, started and killed by their pids, the whole run bounded by `timeout`.
#   1. redis is filled with TENANTS tenants of 10 origins each (redis-cli --pipe), then the instances start and read it;
#   2. propagation: CHANGES times, an origin is added through instance 1's admin route (SADD + PUBLISH in one
#      transaction) and instances 2 and 3 are polled until both allow it; the time from the write to the later of the two;
#   3. outage: redis-server is killed; instance 2 is polled for a stored origin: how long it kept serving the stale copy,
#      when it failed closed (the demo runs with --redis-max-staleness $STALENESS); then redis is started again and the
#      time until the origin is allowed again is noted.
# Writes artifacts/scaleout.json: {instances, origins, tenants, propagationP50Ms, propagationP99Ms, outageStaleSeconds,
# failedClosedAfterSeconds, maxStalenessSeconds, recoverySeconds, changes}.
# usage: scripts/scaleout.sh [CHANGES=300] [TENANTS=10000]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

CHANGES="${1:-300}"
TENANTS="${2:-10000}"
STALENESS=5
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
command -v redis-server >/dev/null || { echo "redis-server is not installed; install it with: sudo apt-get install redis-server" >&2; exit 1; }

work=$(mktemp -d)
redis_pid="" pids=()
cleanup() {
  for pid in "${pids[@]}"; do stop_pid "$pid"; done
  stop_pid "$redis_pid"
  rm -rf "$work"
}
trap cleanup EXIT

dotnet build samples/CorsKit.Demo/CorsKit.Demo.csproj -c Release -nologo -v quiet >/dev/null
redis_port=$(free_port)
start_redis() {
  redis-server --bind 127.0.0.1 --port "$redis_port" --dir "$work" --save "" --appendonly no >"$work/redis.log" 2>&1 &
  redis_pid=$!
  disown "$redis_pid"  # killed on purpose mid-run: no "Killed" notice from the shell
  for _ in $(seq 100); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "redis-server did not start; see $work/redis.log" >&2; return 1
}
start_redis

# TENANTS x 10 origins, in one pipe.
/usr/bin/python3 - "$TENANTS" >"$work/fill.txt" <<'PY'
import sys
def resp(*args):
    return "*%d\r\n" % len(args) + "".join("$%d\r\n%s\r\n" % (len(a), a) for a in args)
for t in range(int(sys.argv[1])):
    sys.stdout.write(resp("SADD", f"corskit:origins:demo:t{t}", *[f"https://app{o}.t{t}.example" for o in range(10)]))
PY
redis-cli -p "$redis_port" --pipe <"$work/fill.txt" >/dev/null

ports=()
for i in 1 2 3; do
  port=$(free_port)
  ports+=("$port")
  ASPNETCORE_ENVIRONMENT=Production dotnet samples/CorsKit.Demo/bin/Release/net10.0/CorsKit.Demo.dll \
    --api "http://127.0.0.1:$port" --page http://127.0.0.1:5081 --serve-page false \
    --redis "127.0.0.1:$redis_port" --redis-max-staleness "$STALENESS" >"$work/demo$i.log" 2>&1 &
  pids+=($!)
done
for i in 0 1 2; do wait_until_serving "demo $((i + 1))" "${pids[$i]}" "http://127.0.0.1:${ports[$i]}/health" "$work/demo$((i + 1)).log"; done

mkdir -p artifacts
timeout 600 /usr/bin/python3 - "$CHANGES" "$TENANTS" "$STALENESS" "${ports[@]}" "$redis_port" "$redis_pid" "$work" <<'PY'
import http.client, json, os, signal, subprocess, sys, threading, time

changes, tenants, staleness = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
ports = [int(p) for p in sys.argv[4:7]]
redis_port, redis_pid, work = int(sys.argv[7]), int(sys.argv[8]), sys.argv[9]

def allows(conn, tenant, origin):
    conn.request("GET", f"/tenants/{tenant}/data", headers={"Origin": origin})
    r = conn.getresponse(); r.read()
    return r.getheader("Access-Control-Allow-Origin") == origin

def connect(port):
    return http.client.HTTPConnection("127.0.0.1", port, timeout=5)

admin = connect(ports[0])
pollers = [connect(p) for p in ports[1:]]
latencies = []
for i in range(changes):
    tenant, origin = f"t{i % tenants}", f"https://new{i}.t{i % tenants}.example"
    start = time.monotonic()
    admin.request("POST", f"/tenants/{tenant}/origins?origin={origin}")
    r = admin.getresponse(); r.read()
    assert r.status == 204, (r.status, origin)
    done = [None, None]
    def poll(k):
        while time.monotonic() - start < 10:
            if allows(pollers[k], tenant, origin):
                done[k] = time.monotonic(); return
            time.sleep(0.001)
    threads = [threading.Thread(target=poll, args=(k,)) for k in (0, 1)]
    for t in threads: t.start()
    for t in threads: t.join()
    assert all(done), f"{origin} not honoured by every instance within 10 s"
    latencies.append((max(done) - start) * 1000)

latencies.sort()
def pct(p): return round(latencies[min(len(latencies) - 1, int(round(p / 100 * len(latencies) + 0.5)) - 1)], 1)

# Outage: kill redis, watch instance 2 serve the stale copy, then fail closed.
tenant, origin = "t0", "https://app0.t0.example"
conn = connect(ports[1])
assert allows(conn, tenant, origin)
os.kill(redis_pid, signal.SIGKILL)
killed = time.monotonic()
last_allowed, refused_at = None, None
while time.monotonic() - killed < staleness + 20:
    if allows(conn, tenant, origin):
        last_allowed = time.monotonic()
    else:
        refused_at = time.monotonic(); break
    time.sleep(0.05)
assert refused_at, "never failed closed"

# Recovery: redis back (empty: no persistence), the origin written again; time until allowed again.
server = subprocess.Popen(["redis-server", "--bind", "127.0.0.1", "--port", str(redis_port), "--dir", work, "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL)
try:
    for _ in range(100):
        if subprocess.run(["redis-cli", "-p", str(redis_port), "ping"], capture_output=True).returncode == 0: break
        time.sleep(0.1)
    restarted = time.monotonic()
    subprocess.run(["redis-cli", "-p", str(redis_port), "SADD", "corskit:origins:demo:t0", origin], check=True, capture_output=True)
    subprocess.run(["redis-cli", "-p", str(redis_port), "PUBLISH", "corskit:origins:demo", "t0"], check=True, capture_output=True)
    recovered = None
    while time.monotonic() - restarted < 30:
        if allows(conn, tenant, origin):
            recovered = time.monotonic(); break
        time.sleep(0.05)
finally:
    server.kill(); server.wait()

result = {
    "instances": 3,
    "origins": tenants * 10,
    "tenants": tenants,
    "changes": changes,
    "propagationP50Ms": pct(50),
    "propagationP99Ms": pct(99),
    "propagationMaxMs": round(latencies[-1], 1),
    "maxStalenessSeconds": staleness,
    "outageStaleSeconds": round((last_allowed or killed) - killed, 2),
    "failedClosedAfterSeconds": round(refused_at - killed, 2),
    "recoverySeconds": None if recovered is None else round(recovered - restarted, 2),
}
with open("artifacts/scaleout.json", "w") as f:
    json.dump(result, f, indent=2); f.write("\n")
print(json.dumps(result, indent=2))
PY
