--[[
  A stop before expiry: marks the lease `cleaning`, ended by its owner or by the cleanup job for
  going over its disk limit (extensions refused from now on, and no expiry notice whoever
  finishes the removal), and hides it from the cleanup job for a visibility timeout, after which
  the job finishes the work if the stop did not (a crash, the engine down).

  KEYS[1] lease hash      KEYS[2] expiry sorted set
  ARGV[1] lease id        ARGV[2] visibility timeout (ms)    ARGV[3] claim token
  ARGV[4] why: 'owner' or 'disk' (absent: 'owner')
  Returns the lease hash as a flat list; -1 no such lease; -4 its cleanup has already begun.
]]
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return -1 end
if status == 'cleaning' then return -4 end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('HSET', KEYS[1], 'status', 'cleaning', 'endedBy', ARGV[4] or 'owner', 'claimToken', ARGV[3])
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), ARGV[1])
return redis.call('HGETALL', KEYS[1])
