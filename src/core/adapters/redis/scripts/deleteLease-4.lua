--[[
  Removes a lease and every index entry of it, and queues the owner's notice in the same step, so
  two runs finishing the same lease queue the notice once. Leaves a tombstone for a while: every
  caller removed the lease's containers first, so a reconciler that listed one of them before
  this ran must neither re-adopt it nor announce its expiry (adoptLease and closeOrphan refuse).

  KEYS[1] lease hash      KEYS[2] expiry sorted set      KEYS[3] warnings sorted set
  KEYS[4] notifications stream
  ARGV[1] key base        ARGV[2] lease id               ARGV[3] notice JSON, or '' for none
  ARGV[4] tombstone lifetime (ms)
  Returns 1 deleted; 0 there was no record (index entries are cleaned anyway).
]]
redis.call('ZREM', KEYS[2], ARGV[2])
redis.call('ZREM', KEYS[3], ARGV[2])
redis.call('SET', ARGV[1] .. 'ended:' .. ARGV[2], '1', 'PX', tonumber(ARGV[4]))
local lease = redis.call('HMGET', KEYS[1], 'owner', 'containerId')
if not lease[1] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('SREM', ARGV[1] .. 'owner:' .. lease[1], ARGV[2])
if lease[2] and lease[2] ~= '' then redis.call('DEL', ARGV[1] .. 'container:' .. lease[2]) end
if ARGV[3] ~= '' then redis.call('XADD', KEYS[4], '*', 'notice', ARGV[3]) end
return 1
