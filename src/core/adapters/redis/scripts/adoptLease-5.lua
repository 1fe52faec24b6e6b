--[[
  Re-adopts a container whose lease record was lost (Redis flushed or restored from an old
  snapshot): writes it back as active from the container's labels, outside the owner's and the
  team's quota, because the container already exists, and records the adoption. Does nothing when
  the record exists, and refuses a lease that ended recently (its tombstone, written by
  deleteLease): the reconciler lists containers before it looks their leases up, and a stop or
  cleanup finishing in between must not turn the container it just removed into a lease without one.

  KEYS[1] lease hash      KEYS[2] expiry sorted set      KEYS[3] warnings sorted set
  KEYS[4] container record hash                          KEYS[5] audit stream
  ARGV[1] key base        ARGV[2] lease id               ARGV[3] warn this many ms before expiry
  ARGV[4] audit retention (ms)
  ARGV[5..] field, value pairs of the lease hash (status active, containerId and expiresAt set)
  Returns 1 adopted; 0 the lease exists; -9 the lease ended recently.
]]
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
if redis.call('EXISTS', ARGV[1] .. 'ended:' .. ARGV[2]) == 1 then return -9 end
redis.call('HSET', KEYS[1], unpack(ARGV, 5))
local lease = redis.call('HMGET', KEYS[1], 'owner', 'expiresAt', 'containerId', 'image', 'createdAt', 'team',
  'imageType')
-- Its usage counts from its creation: the container has run since then.
redis.call('HSET', KEYS[1], 'activatedAt', lease[5])
redis.call('ZADD', KEYS[2], lease[2], ARGV[2])
if tonumber(ARGV[3]) > 0 then redis.call('ZADD', KEYS[3], tonumber(lease[2]) - tonumber(ARGV[3]), ARGV[2]) end
redis.call('SADD', ARGV[1] .. 'owner:' .. lease[1], ARGV[2])
redis.call('SADD', ARGV[1] .. 'team:' .. lease[6], ARGV[2])
redis.call('HSET', KEYS[4], 'leaseId', ARGV[2], 'owner', lease[1], 'image', lease[4], 'createdAt', lease[5])
appendAudit(KEYS[5], ARGV[4], {
  actor = 'system', action = 'adopt', lease = ARGV[2], owner = lease[1], team = lease[6], image = lease[7],
  params = { containerId = lease[3], expiresAt = tonumber(lease[2]) }, outcome = 'adopted',
})
return 1
