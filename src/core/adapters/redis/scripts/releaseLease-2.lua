--[[
  Gives up a claim without waiting for its visibility timeout (a run shutting down): an active
  lease is due again at its expiry, one whose cleaning began is due again at once.

  KEYS[1] lease hash      KEYS[2] expiry sorted set
  ARGV[1] lease id        ARGV[2] claim token
  Returns 1 released; 0 no record; -7 another run holds the claim.
]]
local lease = redis.call('HMGET', KEYS[1], 'status', 'expiresAt', 'claimToken')
if not lease[1] then return 0 end
if lease[3] ~= ARGV[2] then return -7 end
redis.call('HDEL', KEYS[1], 'claimToken')
if lease[1] == 'active' then
  redis.call('ZADD', KEYS[2], lease[2], ARGV[1])
else
  local time = redis.call('TIME')
  redis.call('ZADD', KEYS[2], tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000), ARGV[1])
end
return 1
