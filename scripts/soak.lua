-- CorsKit soak mix for wrk: allowed, rejected, preflight and error requests against the demo, in turn.
-- Every answer is checked (status and Access-Control-Allow-Origin). soak.sh runs one connection per wrk thread, so a
-- thread's answer always belongs to the request it generated last (wrk may call request() without sending the result:
-- once to verify the script, and again after a failed write; those are simply superseded).
local page = os.getenv("SOAK_PAGE_ORIGIN") or "http://127.0.0.1:5081"
local evil = "https://evil.example"

kinds = {
  { name = "allowed",             method = "GET",     path = "/api/items",   headers = { Origin = page },  status = 200, acao = page },
  { name = "rejected",            method = "GET",     path = "/api/items",   headers = { Origin = evil },  status = 200, acao = nil },
  { name = "no-origin",           method = "GET",     path = "/api/items",   headers = {},                 status = 200, acao = nil },
  { name = "public",              method = "GET",     path = "/api/public",  headers = { Origin = evil },  status = 200, acao = "*" },
  { name = "preflight",           method = "OPTIONS", path = "/api/items",   headers = { Origin = page, ["Access-Control-Request-Method"] = "PUT", ["Access-Control-Request-Headers"] = "x-token" }, status = 204, acao = page },
  { name = "preflight-rejected",  method = "OPTIONS", path = "/api/items",   headers = { Origin = evil, ["Access-Control-Request-Method"] = "PUT" }, status = 204, acao = nil },
  { name = "preflight-malformed", method = "OPTIONS", path = "/api/items",   headers = { Origin = page, ["Access-Control-Request-Method"] = "PUT", ["Access-Control-Request-Headers"] = "x-token,,x" }, status = 204, acao = nil },
  { name = "error-404",           method = "GET",     path = "/api/missing", headers = { Origin = page },  status = 404, acao = page },
  { name = "error-405",           method = "DELETE",  path = "/api/public",  headers = { Origin = page },  status = 405, acao = "*" },
}

local requests = {}
local turn = 0
counts = {}
unexpected = 0
first_unexpected = ""

function init(args)
  for i, k in ipairs(kinds) do
    requests[i] = wrk.format(k.method, k.path, k.headers)
    counts[i] = 0
  end
end

function request()
  turn = turn % #kinds + 1
  return requests[turn]
end

function response(status, headers, body)
  local i = turn
  local k = kinds[i]
  counts[i] = counts[i] + 1
  local acao = headers["Access-Control-Allow-Origin"] or headers["access-control-allow-origin"]
  if status ~= k.status or acao ~= k.acao then
    unexpected = unexpected + 1
    if first_unexpected == "" then
      first_unexpected = k.name .. ": status " .. status .. ", Access-Control-Allow-Origin " .. tostring(acao)
    end
  end
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function done(summary, latency, requests)
  local total, bad, counted = {}, 0, 0
  for _, t in ipairs(threads) do
    local c = t:get("counts")
    for i = 1, #kinds do
      total[i] = (total[i] or 0) + (c[i] or 0)
      counted = counted + (c[i] or 0)
    end
    bad = bad + t:get("unexpected")
    local first = t:get("first_unexpected")
    if first ~= "" then io.write("soak-first-unexpected " .. first .. "\n") end
  end
  local e = summary.errors
  io.write(string.format("soak-result requests=%d checked=%d unexpected=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d\n",
    summary.requests, counted, bad, e.connect, e.read, e.write, e.timeout))
  for i, k in ipairs(kinds) do
    io.write(string.format("soak-kind %s=%d\n", k.name, total[i]))
  end
end
