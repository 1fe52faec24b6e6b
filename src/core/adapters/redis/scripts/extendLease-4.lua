--[[
  Moves an active lease's expiry, never past its hard cap, and re-arms the warning for the new
  expiry. A lease whose cleaning has begun cannot be saved any more. An overdue lease is extended
  from now, so the owner gets the minutes they asked for. Recorded in the audit trail.

  KEYS[1] lease hash      KEYS[2] expiry sorted set      KEYS[3] warnings sorted set
  KEYS[4] audit stream
  ARGV[1] lease id        ARGV[2] milliseconds to add    ARGV[3] warn this many ms before expiry
  ARGV[4] who extends it  ARGV[5] audit retention (ms)
  Returns the lease hash as a flat list; -1 no such lease; -4 not active; -6 past the hard cap.
]]
local lease = redis.call('HMGET', KEYS[1], 'status', 'expiresAt', 'hardCapAt', 'owner', 'team', 'imageType')
if not lease[1] then return -1 end
if lease[1] ~= 'active' then return -4 end
local expiresAt = math.max(tonumber(lease[2]), serverNow()) + tonumber(ARGV[2])
if expiresAt > tonumber(lease[3]) then return -6 end
redis.call('HSET', KEYS[1], 'expiresAt', expiresAt)
redis.call('ZADD', KEYS[2], expiresAt, ARGV[1])
if tonumber(ARGV[3]) > 0 then redis.call('ZADD', KEYS[3], expiresAt - tonumber(ARGV[3]), ARGV[1]) end
appendAudit(KEYS[4], ARGV[5], {
  actor = ARGV[4], action = 'extend', lease = ARGV[1], owner = lease[4], team = lease[5], image = lease[6],
  params = { minutes = math.floor(tonumber(ARGV[2]) / 60000), expiresAt = expiresAt }, outcome = 'extended',
})
return redis.call('HGETALL', KEYS[1])
