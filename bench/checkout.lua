-- "Buy now" checkouts for wrk: each request a POST /api/orders with its own Idempotency-Key (never
-- a replay) and the next shopper's bearer token. TOKENS names a file with one token per line, BODY
-- is the JSON body, RUN a prefix that keeps the keys of one run apart from every other run's.
local tokens = {}
for line in io.lines(os.getenv("TOKENS")) do
  tokens[#tokens + 1] = line
end
local body = os.getenv("BODY")
local run = os.getenv("RUN") or tostring(os.time())
local pace = tonumber(os.getenv("PACE_MS") or "0")
local threads = {}
local counter = 0

function setup(thread)
  thread:set("thread_no", #threads + 1)
  table.insert(threads, thread)
end

request = function()
  counter = counter + 1
  local token = tokens[((counter + thread_no) % #tokens) + 1]
  return wrk.format("POST", nil, {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = run .. "-" .. thread_no .. "-" .. counter,
  }, body)
end

-- PACE_MS, when set: each connection waits that long after an answer before its next request
if pace > 0 then
  delay = function()
    return pace
  end
end

done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format("RESULT rps=%.1f p50_ms=%.2f p99_ms=%.2f errors=%d non2xx=%d requests=%d\n",
    summary.requests / seconds,
    latency:percentile(50) / 1000,
    latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status,
    summary.requests))
end
