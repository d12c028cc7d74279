#!/usr/bin/env bash
# In-process benchmarks: every scenario with no CORS, Microsoft's CORS and CorsKit, in one run.
#   bench/run.sh           the full suite: each benchmark in 3 processes of its own (about 15 minutes on 2 cores)
#   bench/run.sh --quick   a short in-process job for iterating (about 2.5 minutes; do not report it)
#   --wall-clock           measure wall-clock time instead of the benchmark thread's CPU time
#   --rounds N             run the filtered benchmarks N times over, one after the other (A B A B ...), and report each
#                          row's mean of the rounds' means and median of their medians: on this VM a process's mean drifts
#                          by 15-40% from minute to minute, so two rows compared at the 10% level need rounds, not one run
# Any other arguments go to BenchmarkDotNet, e.g. bench/run.sh --quick --filter '*Preflight*'.
# SimpleRequestAllowed and PreflightAllowed also have a Floor row, the least any CORS layer can cost
# (bench/CorsKit.Benchmarks/Infrastructure/FloorMiddleware.cs): bench/run.sh --filter '*SimpleRequestAllowed*' '*PreflightAllowed*'.
# OriginSourceLookup is the engine's evaluation alone (no pipeline), a source's lookup against a listed origin: it is printed
# in bdn.log, not a CORS scenario, and left out of summary.json. bench/run.sh --filter '*OriginSourceLookup*'.
# MetricsListened has a CorsKitListened row, CorsKit with its meter listened to: bench/run.sh --filter '*MetricsListened*'.
# Writes artifacts/bench/summary.json ([{scenario, implementation, meanNs, medianNs, allocatedBytes, rounds, roundMeansNs}], implementation
# None, Microsoft, CorsKit, Floor, CorsKitListened, CorsKitUntenanted, CorsKitStatic or CorsKitStaticNoRedis) and artifacts/bench/summary.md (the ratio table, and for scenarios with a floor
# CorsKit's added cost as a multiple of the floor's), from BenchmarkDotNet's JSON exporter output in artifacts/bench/bdn.
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
out=artifacts/bench
bdn="$out/bdn"
rounds=1
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) [ $# -ge 2 ] || { echo "--rounds wants a whole number of 1 or more" >&2; exit 2; }; rounds="$2"; shift 2 ;;
    --rounds=*) rounds="${1#--rounds=}"; shift ;;
    *) args+=("$1"); shift ;;
  esac
done
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "--rounds wants a whole number of 1 or more, got '$rounds'" >&2; exit 2; }
rm -rf "$bdn/results" "$bdn"/round-*
mkdir -p "$out"
: > "$out/bdn.log"

dotnet build bench/CorsKit.Benchmarks/CorsKit.Benchmarks.csproj -c Release -nologo -v quiet
results=()
for ((round = 1; round <= rounds; round++)); do
  dotnet bench/CorsKit.Benchmarks/bin/Release/net10.0/CorsKit.Benchmarks.dll "${args[@]}" --artifacts "$bdn/round-$round" | tee -a "$out/bdn.log"
  results+=("$bdn/round-$round/results")
done

/usr/bin/python3 bench/summarize.py "${results[@]}" "$out/summary.json" "$out/summary.md"
