-- A token bucket per client, refilled continuously, checked and charged in one atomic step.
-- KEYS[1]  the bucket (a hash: tokens, ts)
-- ARGV[1]  refill rate, tokens per second
-- ARGV[2]  capacity, the largest burst
-- ARGV[3]  tokens this request costs
-- Returns {allowed (1/0), whole tokens left, milliseconds until the request would be allowed}.
local rate = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local requested = tonumber(ARGV[3])

-- Redis's clock, not the gateway's: every gateway instance charges the same bucket on one timeline.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(bucket[1]) or capacity
local last = tonumber(bucket[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - last) * rate / 1000)

local allowed = 0
local wait = 0
if tokens >= requested then
  tokens = tokens - requested
  allowed = 1
else
  wait = math.ceil((requested - tokens) * 1000 / rate)
end

redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
-- A bucket untouched for twice its refill time is full again: the same as no key at all.
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity * 1000 / rate) * 2)
return {allowed, math.floor(tokens), wait}
