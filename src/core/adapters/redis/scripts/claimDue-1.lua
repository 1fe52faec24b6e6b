--[[
  Takes up to N leases that are due by Redis's clock and hides each from other runs for a
  visibility timeout, so a run that dies mid-cleanup leaves its leases due again afterwards.
  A score that is ahead of an active lease's expiry is corrected, never acted on (never early).
  An index entry without a record is handed over too, so its containers are found by label.

  KEYS[1] expiry sorted set
  ARGV[1] key base (prefix + hash tag)   ARGV[2] limit   ARGV[3] visibility timeout (ms)
  ARGV[4] claim token
  Returns the claimed lease ids.
]]
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local ids = redis.call('ZRANGE', KEYS[1], '-inf', now, 'BYSCORE', 'LIMIT', 0, tonumber(ARGV[2]))
local hidden = now + tonumber(ARGV[3])
local claimed = {}
for _, id in ipairs(ids) do
  local key = ARGV[1] .. 'lease:' .. id
  local lease = redis.call('HMGET', key, 'status', 'expiresAt')
  if lease[1] == 'active' and tonumber(lease[2]) > now then
    redis.call('ZADD', KEYS[1], lease[2], id)
  else
    if lease[1] then redis.call('HSET', key, 'claimToken', ARGV[4]) end
    redis.call('ZADD', KEYS[1], hidden, id)
    claimed[#claimed + 1] = id
  end
end
return claimed
