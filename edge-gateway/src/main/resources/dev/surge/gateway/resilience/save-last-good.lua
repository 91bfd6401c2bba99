-- Keeps one last-good copy and holds every copy of the gateway within a count and a byte budget,
-- in one atomic step, so concurrent writers from every instance can never push past either.
-- KEYS[1]  the copy (a string with a TTL)
-- KEYS[2]  the index: a sorted set of copy keys, scored by when each was written (ms, Redis's clock)
-- KEYS[3]  the sizes: a hash of copy key -> bytes
-- KEYS[4]  the total bytes of the copies in the index
-- ARGV[1]  the copy
-- ARGV[2]  its time to live, ms
-- ARGV[3]  the most copies kept
-- ARGV[4]  the most bytes kept
-- Returns how many copies were dropped to stay within the budget.
-- Dropped copies are keys named in the index, not in KEYS: fine on one Redis (with Redis Cluster
-- all of them would need one hash tag).
local ttl = tonumber(ARGV[2])
local max_copies = tonumber(ARGV[3])
local max_bytes = tonumber(ARGV[4])

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

local function forget(key)
  local bytes = redis.call('HGET', KEYS[3], key)
  if bytes then
    redis.call('HDEL', KEYS[3], key)
    redis.call('DECRBY', KEYS[4], bytes)
  end
  redis.call('ZREM', KEYS[2], key)
end

-- copies past their TTL are gone already: take them off the books, a bounded number per write
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now - ttl, 'LIMIT', 0, 100)
for _, key in ipairs(expired) do
  forget(key)
end

-- a rewrite replaces the copy's old size
forget(KEYS[1])
redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl)
redis.call('ZADD', KEYS[2], now, KEYS[1])
redis.call('HSET', KEYS[3], KEYS[1], string.len(ARGV[1]))
redis.call('INCRBY', KEYS[4], string.len(ARGV[1]))

-- oldest first, never the copy just written
local dropped = 0
while redis.call('ZCARD', KEYS[2]) > 1
    and (redis.call('ZCARD', KEYS[2]) > max_copies or tonumber(redis.call('GET', KEYS[4])) > max_bytes) do
  local oldest = redis.call('ZRANGE', KEYS[2], 0, 0)[1]
  redis.call('DEL', oldest)
  forget(oldest)
  dropped = dropped + 1
end

-- the books live as long as the newest copy they describe
redis.call('PEXPIRE', KEYS[2], ttl)
redis.call('PEXPIRE', KEYS[3], ttl)
redis.call('PEXPIRE', KEYS[4], ttl)
return dropped
