--[[
  provisioning → active once the container runs: records the container, indexes the real expiry
  and when to warn the owner, and notes when the lease became active (its usage counts from
  there). Refused when cleanup took the lease meanwhile (its provision timeout passed), so the
  caller removes the container it made instead of leaving one without a lease.

  KEYS[1] lease hash      KEYS[2] expiry sorted set      KEYS[3] warnings sorted set
  KEYS[4] container record hash                          KEYS[5] audit stream
  ARGV[1] lease id        ARGV[2] container id           ARGV[3] expiresAt (epoch ms)
  ARGV[4] warn this many ms before expiry (0: never)     ARGV[5] audit retention (ms)
  Returns the lease hash as a flat list; -1 no such lease; -4 not provisioning any more.
]]
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
if redis.call('HGET', KEYS[1], 'status') ~= 'provisioning' then return -4 end
redis.call('HSET', KEYS[1], 'status', 'active', 'containerId', ARGV[2], 'expiresAt', ARGV[3],
  'activatedAt', serverNow())
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
if tonumber(ARGV[4]) > 0 then redis.call('ZADD', KEYS[3], tonumber(ARGV[3]) - tonumber(ARGV[4]), ARGV[1]) end
local lease = redis.call('HMGET', KEYS[1], 'owner', 'image', 'createdAt', 'team', 'imageType')
redis.call('HSET', KEYS[4], 'leaseId', ARGV[1], 'owner', lease[1], 'image', lease[2], 'createdAt', lease[3])
appendAudit(KEYS[5], ARGV[5], {
  actor = lease[1], action = 'provision', lease = ARGV[1], owner = lease[1], team = lease[4], image = lease[5],
  params = { containerId = ARGV[2], expiresAt = tonumber(ARGV[3]) }, outcome = 'active',
})
return redis.call('HGETALL', KEYS[1])
