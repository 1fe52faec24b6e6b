--[[
  A stop before expiry, by the owner, an admin, or the cleanup job for going over its disk limit:
  marks the lease `cleaning`, ended for that reason (extensions refused from now on, and no expiry
  notice whoever finishes the removal), records who stopped it and why, and hides it from the
  cleanup job for a visibility timeout, after which the job finishes the work if the stop did not
  (a crash, the engine down). The audit entry is written when the lease is deleted, the change a
  stop makes.

  KEYS[1] lease hash      KEYS[2] expiry sorted set
  ARGV[1] lease id        ARGV[2] visibility timeout (ms)    ARGV[3] claim token
  ARGV[4] who stops it    ARGV[5] why ('' when not said)     ARGV[6] ending: 'owner' or 'disk'
  Returns the lease hash as a flat list; -1 no such lease; -4 its cleanup has already begun.
]]
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return -1 end
if status == 'cleaning' then return -4 end
redis.call('HSET', KEYS[1], 'status', 'cleaning', 'endedBy', ARGV[6], 'claimToken', ARGV[3], 'stoppedBy', ARGV[4])
if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'stopReason', ARGV[5]) end
redis.call('ZADD', KEYS[2], serverNow() + tonumber(ARGV[2]), ARGV[1])
return redis.call('HGETALL', KEYS[1])
