-- The attacker of bench/bystander.sh: GET requests to the routes in ATTACK_PATHS (comma-separated), taken in turn,
-- each with an Origin no request has used before (https://attacker-<thread>-<n>.example.net), so user code that is
-- asked per origin (a predicate, a policy provider) is asked anew every time. wrk keeps one request in flight per
-- connection, so -c40 keeps 40 such requests in flight. Before each request a connection pauses ATTACK_PAUSE_MS
-- (default 100): while the user code hangs this changes nothing, and once requests are answered at once (refused, or
-- a fix in place) it keeps the attack from turning into a flood that measures the attacker's share of the CPU instead
-- (0: no pause). No response() callback (wrk counts non-2xx/3xx itself).
local paths = {}
for p in string.gmatch(os.getenv("ATTACK_PATHS") or "/hang/predicate", "[^,]+") do
  paths[#paths + 1] = p
end

local pause_ms = tonumber(os.getenv("ATTACK_PAUSE_MS") or "100")

local next_thread = 0
function setup(thread)
  next_thread = next_thread + 1
  thread:set("id", next_thread)
end

local sent = 0
function request()
  sent = sent + 1
  local origin = string.format("https://attacker-%d-%d.example.net", id, sent)
  return wrk.format("GET", paths[(sent % #paths) + 1], { ["Origin"] = origin })
end

if pause_ms > 0 then
  function delay()
    return pause_ms
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "E2E_RESULT requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d socket_errors=%d non_2xx=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end
