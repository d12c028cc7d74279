#!/usr/bin/env bash
# Checks CorsKit's predicted Firefox console messages against a real headless Firefox.
#
#   scripts/firefox-check.sh
#
# Installs what it lacks (firefox-esr through apt-get, puppeteer-core through `npm ci` in scripts/firefox), builds the
# CLI and the demo, then starts on 127.0.0.1 only:
#   - the CorsKit demo API (samples/CorsKit.Demo, its policies allowing the page origin), and
#   - scripts/firefox/raw-server.js: blank pages for the page origins and /raw, a deliberately broken server.
# It runs the scenarios of scripts/firefox/scenarios.json in Firefox (run-scenarios.js), runs `corskit check` for each
# of them, and compares the Firefox message word for word (compare.js). Every server is bounded by `timeout` and is
# stopped by its pid on exit. Artifacts: artifacts/firefox/. Exit status: 0 when every scenario agrees.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
here="$root/scripts/firefox"
out="$root/artifacts/firefox"
configuration=Release
firefox="${FIREFOX:-/usr/bin/firefox-esr}"

pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT

if [[ ! -x "$firefox" ]]; then
  echo "firefox-check: installing firefox-esr"
  if ! command -v apt-get >/dev/null; then
    echo "firefox-check: $firefox is missing and there is no apt-get; set FIREFOX to a Firefox binary" >&2
    exit 2
  fi
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y firefox-esr
fi

if [[ ! -d "$here/node_modules/puppeteer-core" ]]; then
  echo "firefox-check: npm ci in scripts/firefox"
  (cd "$here" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund)
fi

echo "firefox-check: building the CLI and the demo ($configuration)"
dotnet build "$root/src/CorsKit.Cli" -c "$configuration" --nologo -v quiet
dotnet build "$root/samples/CorsKit.Demo" -c "$configuration" --nologo -v quiet
cli="$root/src/CorsKit.Cli/bin/$configuration/net10.0/CorsKit.Cli.dll"
demo_dir="$root/samples/CorsKit.Demo"
demo="$demo_dir/bin/$configuration/net10.0/CorsKit.Demo.dll"

rm -rf "$out"
mkdir -p "$out/corskit"

# Four free ports on 127.0.0.1: the page, another page origin, the raw server, the demo API.
read -r page_port other_port raw_port api_port < <(node -e '
  const net = require("node:net");
  const servers = [0, 1, 2, 3].map(() => net.createServer().listen(0, "127.0.0.1"));
  Promise.all(servers.map(s => new Promise(r => s.on("listening", r)))).then(() => {
    console.log(servers.map(s => s.address().port).join(" "));
    servers.forEach(s => s.close());
  });')
page="http://127.0.0.1:$page_port"
other="http://127.0.0.1:$other_port"
raw="http://127.0.0.1:$raw_port"
api="http://127.0.0.1:$api_port"

CORSKIT_RAW_SERVER_SECONDS=300 timeout 310 node "$here/raw-server.js" "$page_port" "$other_port" "$raw_port" >"$out/raw-server.log" 2>&1 &
pids+=($!)
(cd "$demo_dir" && exec timeout 300 dotnet "$demo" --api "$api" --page "$page" --serve-page false) >"$out/demo.log" 2>&1 &
pids+=($!)

for url in "$page/" "$other/" "$raw/" "$api/api/public"; do
  for _ in $(seq 1 100); do
    if curl -s -o /dev/null "$url"; then
      break
    fi
    sleep 0.2
  done
  curl -s -o /dev/null "$url" || { echo "firefox-check: $url did not come up (see $out)" >&2; exit 2; }
done

sed -e "s|{page}|$page|g" -e "s|{other}|$other|g" -e "s|{raw-localhost}|http://localhost:$raw_port|g" \
  -e "s|{raw}|$raw|g" -e "s|{api}|$api|g" "$here/scenarios.json" >"$out/scenarios.json"
count="$(jq length "$out/scenarios.json")"

echo "firefox-check: $count scenarios in $("$firefox" --version)"
(cd "$here" && CORSKIT_FIREFOX_SECONDS=240 FIREFOX="$firefox" timeout 260 node run-scenarios.js "$out/scenarios.json") \
  >"$out/firefox.jsonl" 2>"$out/firefox.log"

echo "firefox-check: corskit check for each scenario"
for ((i = 0; i < count; i++)); do
  mapfile -d '' args < <(jq -j --argjson i "$i" '.[$i]
    | [.url, "--origin", .pageOrigin, "-X", (.method // "GET")]
      + [(.headers // {}) | (if type == "array" then .[] else to_entries[] | [.key, .value] end) | "-H", "\(.[0]): \(.[1])"]
      + (if .credentials then ["--credentials"] else [] end)
      + ["--format", "json", "--no-color"]
    | map(. + "\u0000") | add' "$out/scenarios.json")
  status=0
  timeout 60 dotnet "$cli" check "${args[@]}" >"$out/corskit/$i.json" 2>"$out/corskit/$i.err" || status=$?
  # 0: allowed, 1: blocked; anything else is a usage or network error.
  if ((status > 1)); then
    echo "firefox-check: corskit check exited $status for scenario $i (see $out/corskit/$i.err)" >&2
  fi
done

node "$here/compare.js" "$out/scenarios.json" "$out/firefox.jsonl" "$out/corskit" "$out/report.json" | tee "$out/summary.txt"
exit "${PIPESTATUS[0]}"
