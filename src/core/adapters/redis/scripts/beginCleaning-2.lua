--[[
  The fresh re-read just before removal. A lease extended after it was claimed is released (its
  score already moved with the extension); otherwise it is marked `cleaning`, after which
  extensions are refused, and records why (`endedBy`): an active lease ended by its expiry, judged
  here by Redis's clock; a provisioning one by its provision timeout. A lease already cleaning (its
  owner's stop, or a run that died) keeps the reason it has.

  KEYS[1] lease hash      KEYS[2] expiry sorted set
  ARGV[1] lease id        ARGV[2] claim token
  Returns {1, lease…} begun; {2, lease…} released; {0} no record; {-7} another run holds the claim.
]]
local lease = redis.call('HMGET', KEYS[1], 'status', 'expiresAt', 'claimToken')
if not lease[1] then return {0} end
if lease[3] ~= ARGV[2] then return {-7} end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
if lease[1] == 'active' and tonumber(lease[2]) > now then
  redis.call('HDEL', KEYS[1], 'claimToken')
  redis.call('ZADD', KEYS[2], lease[2], ARGV[1])
  return {2, redis.call('HGETALL', KEYS[1])}
end
if lease[1] ~= 'cleaning' then
  local endedBy = lease[1] == 'active' and 'expiry' or 'provision-timeout'
  redis.call('HSET', KEYS[1], 'status', 'cleaning', 'endedBy', endedBy)
end
return {1, redis.call('HGETALL', KEYS[1])}
