-- One wrk run of one scenario, set by environment variables (bench/e2e.sh sets them):
--   E2E_METHOD (GET|OPTIONS), E2E_PATH.
-- No response() callback: parsing every response's headers in Lua would make wrk, which shares the machine's two
-- cores with the server, the bottleneck (and slower the more headers a server sends). Statuses are counted by wrk
-- itself (non-2xx/3xx); the headers are checked once per server and scenario by bench/e2e.sh with curl.
local method = os.getenv("E2E_METHOD") or "GET"
local path = os.getenv("E2E_PATH") or "/items"

local headers = { ["Origin"] = "https://app.example.com" }
if method == "OPTIONS" then
  headers["Access-Control-Request-Method"] = "PUT"
  headers["Access-Control-Request-Headers"] = "content-type,x-token"
end

local req

-- In init, not at load: wrk adds the Host header to wrk.headers only after loading the script.
function init(args)
  req = wrk.format(method, path, headers)
end

function request()
  return req
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "E2E_RESULT requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d socket_errors=%d non_2xx=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end
