#!/usr/bin/env bash
# Soak test: wrk drives a mix of allowed, rejected, preflight and error requests against the CorsKit demo on
# 127.0.0.1 for a bounded time, checks every answer (scripts/soak.lua), and reports requests served, unexpected
# answers (must be 0), socket errors (must be 0), rejection log lines (CorsKit writes at most 10 a second at
# Information and the rest at Debug, which the demo does not write: some, and never more than that budget), and the
# demo's resident memory after a warm-up and after the soak (growth must stay under the bound).
#
#   scripts/soak.sh [--duration S] [--connections N] [--demo-dll PATH] [--max-rss-growth-mib M]
#
# Defaults: 60 s, 4 connections (one per wrk thread), the demo built in Release, growth bound 32 MiB.
set -euo pipefail

duration=60
connections=4
demo_dll=""
max_growth_mib=32
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --demo-dll) demo_dll="$2"; shift 2 ;;
    --max-rss-growth-mib) max_growth_mib="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "soak: unknown option $1" >&2; exit 2 ;;
  esac
done

root=$(cd "$(dirname "$0")/.." && pwd)
if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "soak: installing wrk"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null
  else
    echo "soak: wrk is not installed; install it with: sudo apt-get install wrk" >&2
    exit 2
  fi
fi

work=$(mktemp -d /tmp/corskit-soak.XXXXXX)
pid=""
sampler=""
cleanup() {
  [ -n "$sampler" ] && kill "$sampler" 2>/dev/null || true
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

if [ -z "$demo_dll" ]; then
  echo "soak: building the demo (Release)"
  dotnet build "$root/samples/CorsKit.Demo/CorsKit.Demo.csproj" -c Release -o "$work/demo" -nologo -v q >"$work/build.log" 2>&1 \
    || { cat "$work/build.log" >&2; exit 1; }
  demo_dll="$work/demo/CorsKit.Demo.dll"
fi

# The demo, as it ships (Production, its own appsettings.json), on a free port of 127.0.0.1 chosen by Kestrel.
(cd "$(dirname "$demo_dll")" && exec dotnet "$demo_dll" --api http://127.0.0.1:0 --serve-page false --environment Production) >"$work/demo.log" 2>&1 &
pid=$!
url=""
for _ in $(seq 1 150); do
  url=$(grep -o 'Now listening on: http://127\.0\.0\.1:[0-9]*' "$work/demo.log" | head -1 | sed 's/Now listening on: //') || true
  [ -n "$url" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/demo.log" >&2; echo "soak: the demo exited" >&2; exit 1; }
  sleep 0.2
done
[ -n "$url" ] || { echo "soak: the demo did not listen within 30 s" >&2; exit 1; }

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status"; }
run_wrk() { # seconds output
  timeout $(( $1 + 30 )) wrk -t "$connections" -c "$connections" -d "${1}s" --timeout 5s -s "$root/scripts/soak.lua" "$url" >"$2" 2>&1
}

echo "soak: demo pid $pid on $url; warm-up 5 s, then ${duration} s with $connections connections"
run_wrk 5 "$work/warmup.txt"
rss_before=$(rss_kib)
peak=$rss_before
( while kill -0 "$pid" 2>/dev/null; do rss_kib >>"$work/rss.txt" 2>/dev/null || true; sleep 1; done ) &
sampler=$!
run_wrk "$duration" "$work/soak.txt"
rss_after=$(rss_kib)
kill "$sampler" 2>/dev/null || true; sampler=""
[ -s "$work/rss.txt" ] && peak=$(sort -n "$work/rss.txt" | tail -1)

# Stop the demo (by its pid) so that its log is flushed, then count what it logged.
kill -TERM "$pid"
for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
kill -0 "$pid" 2>/dev/null && { echo "soak: the demo did not stop within 10 s" >&2; exit 1; }
pid=""

result=$(grep '^soak-result' "$work/soak.txt") || { cat "$work/soak.txt" >&2; exit 1; }
field() { echo "$result" | tr ' ' '\n' | awk -F= -v k="$1" '$1 == k { print $2 }'; }
kind() { awk -F= -v k="soak-kind $1" '$1 == k { print $2 }' "$work/soak.txt" "$work/warmup.txt" | awk '{ s += $1 } END { print s + 0 }'; }
requests=$(field requests); checked=$(field checked); unexpected=$(field unexpected)
socket_errors=$(( $(field connect_errors) + $(field read_errors) + $(field write_errors) + $(field timeouts) ))
warm_requests=$(grep '^soak-result' "$work/warmup.txt" | tr ' ' '\n' | awk -F= '$1 == "requests" { print $2 }')
warm_unexpected=$(grep '^soak-result' "$work/warmup.txt" | tr ' ' '\n' | awk -F= '$1 == "unexpected" { print $2 }')
# CorsKit logs each rejection once (event 2): at Information, the level the demo's appsettings.json writes, for the
# first 10 of each second, and at Debug (not written) for the rest, so a flood cannot fill the disk. Warm-up and soak
# together, with two seconds of slack for the start and the end of each run.
rejections_sent=$(( $(kind rejected) + $(kind preflight-rejected) + $(kind preflight-malformed) ))
rejections_budget=$(( 10 * (duration + 5 + 4) ))
rejections_logged=$(grep -c 'CorsKitMiddleware\[2\]' "$work/demo.log" || true)
growth_mib=$(( (rss_after - rss_before) / 1024 ))

echo "soak: requests served      $requests in ${duration} s ($(( requests / duration ))/s), plus $warm_requests in the warm-up"
grep '^soak-kind' "$work/soak.txt" | sed 's/^soak-kind /soak:   /'
echo "soak: answers checked      $checked (status and Access-Control-Allow-Origin of every answer)"
echo "soak: unexpected answers   $unexpected (warm-up: $warm_unexpected)"
grep '^soak-first-unexpected' "$work/soak.txt" "$work/warmup.txt" | sed 's/^.*soak-first-unexpected /soak:   first: /' || true
echo "soak: socket errors        $socket_errors"
echo "soak: rejections logged    $rejections_logged lines at Information for $rejections_sent rejected requests (budget: 10 a second, at most $rejections_budget)"
echo "soak: RSS                  $(( rss_before / 1024 )) MiB after warm-up, $(( rss_after / 1024 )) MiB after the soak (peak $(( peak / 1024 )) MiB); growth ${growth_mib} MiB, bound ${max_growth_mib} MiB"

status=0
[ "$unexpected" = 0 ] && [ "$warm_unexpected" = 0 ] || { echo "soak: FAIL: unexpected answers" >&2; status=1; }
[ "$checked" = "$requests" ] || { echo "soak: FAIL: $requests requests served but $checked checked" >&2; status=1; }
[ "$socket_errors" = 0 ] || { echo "soak: FAIL: socket errors" >&2; status=1; }
{ [ "$rejections_logged" -ge 10 ] && [ "$rejections_logged" -le "$rejections_budget" ]; } \
  || { echo "soak: FAIL: rejection log lines missing or over the budget" >&2; status=1; }
[ "$growth_mib" -le "$max_growth_mib" ] || { echo "soak: FAIL: memory grew by ${growth_mib} MiB" >&2; status=1; }
[ "$status" = 0 ] && echo "soak: PASS"
exit "$status"
