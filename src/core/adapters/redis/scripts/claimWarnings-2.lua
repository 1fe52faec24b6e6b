--[[
  Queues a warning for every lease whose warning time has come by Redis's clock, once per expiry:
  the lease records which expiry it was warned about, so an extension re-arms it and two racing
  runs queue it once. Leases already past their expiry get the expiry notice instead.

  KEYS[1] warnings sorted set      KEYS[2] notifications stream
  ARGV[1] key base                 ARGV[2] limit
  Returns the number of warnings queued.
]]
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local ids = redis.call('ZRANGE', KEYS[1], '-inf', now, 'BYSCORE', 'LIMIT', 0, tonumber(ARGV[2]))
local queued = 0
for _, id in ipairs(ids) do
  redis.call('ZREM', KEYS[1], id)
  local key = ARGV[1] .. 'lease:' .. id
  local l = redis.call('HMGET', key, 'status', 'expiresAt', 'warnedFor', 'owner', 'notify', 'imageType', 'image',
    'containerId', 'hardCapAt')
  if l[1] == 'active' and l[3] ~= l[2] and tonumber(l[2]) > now then
    redis.call('HSET', key, 'warnedFor', l[2], 'warnedAt', now)
    local notice = cjson.encode({
      id = 'warning:' .. id .. ':' .. l[2], kind = 'warning', leaseId = id, owner = l[4],
      notify = cjson.decode(l[5]), imageType = l[6], image = l[7], containerId = l[8],
      expiresAt = tonumber(l[2]), hardCapAt = tonumber(l[9]), at = now,
    })
    redis.call('XADD', KEYS[2], '*', 'notice', notice)
    queued = queued + 1
  end
end
return queued
