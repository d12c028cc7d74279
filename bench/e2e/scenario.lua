-- One wrk run of one scenario, set by environment variables (bench/e2e.sh sets them):
--   E2E_METHOD (GET|OPTIONS), E2E_PATH, E2E_STATUS (the status this server should answer).
-- Counts responses with another status, and those carrying Access-Control-Allow-Origin; prints one E2E_RESULT line.
local method = os.getenv("E2E_METHOD") or "GET"
local path = os.getenv("E2E_PATH") or "/items"
local expected = tonumber(os.getenv("E2E_STATUS") or "200")

local headers = { ["Origin"] = "https://app.example.com" }
if method == "OPTIONS" then
  headers["Access-Control-Request-Method"] = "PUT"
  headers["Access-Control-Request-Headers"] = "content-type,x-token"
end

local threads = {}
local req

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  unexpected = 0
  with_cors = 0
  req = wrk.format(method, path, headers)
end

function request()
  return req
end

function response(status, hdrs, body)
  if status ~= expected then
    unexpected = unexpected + 1
  end
  if hdrs["Access-Control-Allow-Origin"] ~= nil or hdrs["access-control-allow-origin"] ~= nil then
    with_cors = with_cors + 1
  end
end

function done(summary, latency, requests)
  local u, c = 0, 0
  for _, t in ipairs(threads) do
    u = u + t:get("unexpected")
    c = c + t:get("with_cors")
  end
  local e = summary.errors
  io.write(string.format(
    "E2E_RESULT requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d socket_errors=%d unexpected_status=%d with_cors=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, u, c))
end
