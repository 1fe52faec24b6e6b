--[[
  Moves an active lease's expiry, never past its hard cap, and re-arms the warning for the new
  expiry. A lease whose cleaning has begun cannot be saved any more. An overdue lease is extended
  from now, so the owner gets the minutes they asked for.

  KEYS[1] lease hash      KEYS[2] expiry sorted set      KEYS[3] warnings sorted set
  ARGV[1] lease id        ARGV[2] milliseconds to add    ARGV[3] warn this many ms before expiry
  Returns the lease hash as a flat list; -1 no such lease; -4 not active; -6 past the hard cap.
]]
local lease = redis.call('HMGET', KEYS[1], 'status', 'expiresAt', 'hardCapAt')
if not lease[1] then return -1 end
if lease[1] ~= 'active' then return -4 end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local expiresAt = math.max(tonumber(lease[2]), now) + tonumber(ARGV[2])
if expiresAt > tonumber(lease[3]) then return -6 end
redis.call('HSET', KEYS[1], 'expiresAt', expiresAt)
redis.call('ZADD', KEYS[2], expiresAt, ARGV[1])
if tonumber(ARGV[3]) > 0 then redis.call('ZADD', KEYS[3], expiresAt - tonumber(ARGV[3]), ARGV[1]) end
return redis.call('HGETALL', KEYS[1])
