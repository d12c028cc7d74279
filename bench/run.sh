#!/usr/bin/env bash
# In-process benchmarks: every scenario with no CORS, Microsoft's CORS and CorsKit, in one run.
#   bench/run.sh           the full suite: each benchmark in 3 processes of its own (about 15 minutes on 2 cores)
#   bench/run.sh --quick   a short in-process job for iterating (about 2.5 minutes; do not report it)
#   --wall-clock           measure wall-clock time instead of the benchmark thread's CPU time
# Any other arguments go to BenchmarkDotNet, e.g. bench/run.sh --quick --filter '*Preflight*'.
# SimpleRequestAllowed and PreflightAllowed also have a Floor row, the least any CORS layer can cost
# (bench/CorsKit.Benchmarks/Infrastructure/FloorMiddleware.cs): bench/run.sh --filter '*SimpleRequestAllowed*' '*PreflightAllowed*'.
# MetricsListened has a CorsKitListened row, CorsKit with its meter listened to: bench/run.sh --filter '*MetricsListened*'.
# Writes artifacts/bench/summary.json ([{scenario, implementation, meanNs, medianNs, allocatedBytes}], implementation
# None, Microsoft, CorsKit, Floor, CorsKitListened, CorsKitStatic or CorsKitStaticNoRedis) and artifacts/bench/summary.md (the ratio table, and for scenarios with a floor
# CorsKit's added cost as a multiple of the floor's), from BenchmarkDotNet's JSON exporter output in artifacts/bench/bdn.
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
out=artifacts/bench
bdn="$out/bdn"
rm -rf "$bdn/results"
mkdir -p "$out"

dotnet build bench/CorsKit.Benchmarks/CorsKit.Benchmarks.csproj -c Release -nologo -v quiet
dotnet bench/CorsKit.Benchmarks/bin/Release/net10.0/CorsKit.Benchmarks.dll "$@" --artifacts "$bdn" | tee "$out/bdn.log"

/usr/bin/python3 bench/summarize.py "$bdn/results" "$out/summary.json" "$out/summary.md"
