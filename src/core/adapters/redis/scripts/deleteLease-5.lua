--[[
  Removes a lease and every index entry of it, queues the owner's notice and records the end in
  the audit trail, in the same step, so two runs finishing the same lease queue the notice and the
  entry once. Leaves a tombstone for a while: every caller removed the lease's containers first,
  so a reconciler that listed one of them before this ran must neither re-adopt it nor announce
  its expiry (adoptLease and closeOrphan refuse).

  KEYS[1] lease hash      KEYS[2] expiry sorted set      KEYS[3] warnings sorted set
  KEYS[4] notifications stream                           KEYS[5] audit stream
  ARGV[1] key base        ARGV[2] lease id               ARGV[3] notice JSON, or '' for none
  ARGV[4] tombstone lifetime (ms)   ARGV[5] the ending (stop, expire, vanished…)
  ARGV[6] who ended it    ARGV[7] audit retention (ms)
  Returns 1 deleted; 0 there was no record (index entries are cleaned anyway, nothing recorded).
]]
redis.call('ZREM', KEYS[2], ARGV[2])
redis.call('ZREM', KEYS[3], ARGV[2])
redis.call('SET', ARGV[1] .. 'ended:' .. ARGV[2], '1', 'PX', tonumber(ARGV[4]))
local lease = redis.call('HMGET', KEYS[1], 'owner', 'containerId', 'team', 'imageType', 'activatedAt', 'stopReason')
if not lease[1] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('SREM', ARGV[1] .. 'owner:' .. lease[1], ARGV[2])
if lease[3] then redis.call('SREM', ARGV[1] .. 'team:' .. lease[3], ARGV[2]) end
if lease[2] and lease[2] ~= '' then redis.call('DEL', ARGV[1] .. 'container:' .. lease[2]) end
if ARGV[3] ~= '' then redis.call('XADD', KEYS[4], '*', 'notice', ARGV[3]) end
-- Usage counts from activation, to the millisecond; a lease that never became active used nothing.
local seconds = lease[5] and (serverNow() - tonumber(lease[5])) / 1000 or 0
appendAudit(KEYS[5], ARGV[7], {
  actor = ARGV[6], action = ARGV[5], lease = ARGV[2], owner = lease[1], team = lease[3], image = lease[4],
  params = { containerId = lease[2] or '', seconds = math.max(seconds, 0), reason = lease[6] or nil },
  outcome = 'removed',
})
return 1
